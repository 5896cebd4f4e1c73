public import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumIO
import FulcrumServer
import FulcrumStore

/// `fulcrum serve`: the clearing engine as a durable HTTP/WebSocket service with a live dashboard.
public struct ServeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the engine as a durable HTTP/WebSocket service (event-sourced, SQLite or PostgreSQL).",
        discussion: """
            Every accepted event is appended to the log (group commit, fsync per --fsync) before it is \
            acknowledged; on start the state is rebuilt from the latest snapshot plus the log. Prints one line \
            "fulcrum serve listening on http://HOST:PORT" when ready; SIGTERM/SIGINT stop it cleanly. Create keys \
            with `fulcrum keys create`. See docs/SERVER.md.
            """
    )

    @Option(help: "Address to bind (loopback unless told otherwise).")
    public var host = "127.0.0.1"

    @Option(help: "Port (0 picks a free one and prints it).")
    public var port = 8080

    @Option(help: "Directory of the SQLite log (created when missing).")
    public var data = "./fulcrum-data"

    @Option(help: "postgres://user[:password]@host[:port]/db instead of SQLite.")
    public var database: String?

    @Option(help: "Venue of market listings that name none.")
    public var venue = "generic"

    @Option(help: "full (fsync every commit, the default) or normal (fsync at checkpoints).")
    public var fsync = "full"

    @Option(name: .customLong("snapshot-every"), help: "Save an engine snapshot every N events (default 10000).")
    public var snapshotEvery: Int64 = 10_000

    @Option(name: .customLong("rate-limit"), help: "Requests per second per key (burst 2x; default 1000).")
    public var rateLimit: Int64 = 1_000

    @Option(name: .customLong("max-body"), help: "Largest request body in bytes (default 65536).")
    public var maxBody = 65_536

    @Option(
        name: .customLong("checkpoint-every"),
        help:
            "SQLite: checkpoint the WAL on a second connection every N events, then the rest on the writer, instead of inside a commit (default 3000; 0: SQLite's own; docs/BENCHMARKS.md)."
    )
    public var checkpointEvery: Int64 = EngineServiceSettings.defaultCheckpointEvents

    @Flag(name: .customLong("public-dashboard"), help: "Serve the dashboard's data without a key.")
    public var publicDashboard = false

    public init() {}

    public func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port) must be in 0...65535") }
        guard FsyncPolicy(rawValue: fsync) != nil else {
            throw ValidationError("--fsync \"\(fsync)\" must be full or normal")
        }
        guard snapshotEvery >= 1 else { throw ValidationError("--snapshot-every \(snapshotEvery) must be positive") }
        guard (1...1_000_000_000).contains(rateLimit) else {
            throw ValidationError("--rate-limit \(rateLimit) must be in 1...1000000000")
        }
        guard (1_024...16_777_216).contains(maxBody) else {
            throw ValidationError("--max-body \(maxBody) must be in 1024...16777216 bytes")
        }
        guard (0...10_000_000).contains(checkpointEvery) else {
            throw ValidationError("--checkpoint-every \(checkpointEvery) must be in 0...10000000 events")
        }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
        do { _ = try VenueProfile.named(venue) } catch { throw ValidationError("--venue: \(error.description)") }
    }

    public func run() throws {
        let settings = EngineServiceSettings(
            snapshotEvery: snapshotEvery,
            defaultVenue: venue,
            checkpointEvents: checkpointEvery
        )
        let options = ServerOptions(maxBodyBytes: maxBody, publicDashboard: publicDashboard)
        let (host, port, data, database, rateLimit) = (host, port, data, database, rateLimit)
        let policy = FsyncPolicy(rawValue: fsync) ?? .full
        do {
            try ServeBlocking.run {
                let log = try await EventLogFactory.open(databaseURL: database, dataDirectory: data, fsync: policy)
                let clock = ServeBlocking.nowMilliseconds
                let service: EngineService
                do {
                    service = try await EngineService.open(log: log, settings: settings, clock: clock)
                } catch {
                    try? await log.close()
                    throw error
                }
                let api = APIServer(service: service, options: options, rateLimit: rateLimit, clock: clock)
                do {
                    try await FulcrumServerApplication.run(api: api, host: host, port: port) { bound in
                        // Unbuffered write to fd 1: the line is visible to a parent process at once.
                        FileHandle.standardOutput.write(
                            Data("fulcrum serve listening on http://\(host):\(bound)\n".utf8)
                        )
                    }
                } catch {
                    await service.close()
                    try? await log.close()
                    throw error
                }
                await service.close()
                try await log.close()
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            ServeBlocking.printError("fulcrum serve: \(error)")
            throw ExitCode(1)
        }
    }
}
