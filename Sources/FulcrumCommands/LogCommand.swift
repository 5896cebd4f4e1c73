public import ArgumentParser
import Foundation
import FulcrumEngine
import FulcrumIO
import FulcrumServer
import FulcrumStore

/// `fulcrum log`: work with the durable event log of `fulcrum serve`.
public struct LogCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Work with the durable event log of `fulcrum serve`.",
        subcommands: [LogExportCommand.self]
    )

    public init() {}
}

/// `fulcrum log export`: write the log as a v1 JSON-lines file that `fulcrum replay` accepts.
public struct LogExportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the log as v1 JSON lines (header first) and print the state hash a replay must give."
    )

    @Option(help: "Directory of the SQLite log.")
    public var data = "./fulcrum-data"

    @Option(help: "postgres://… instead of SQLite.")
    public var database: String?

    @Option(help: "Output file (JSON lines).")
    public var output: String

    @Option(help: "Venue written into the header (listings in the log name theirs explicitly).")
    public var venue = "generic"

    @Option(help: "Engine seed written into the header (the server's; default 0).")
    public var seed: UInt64 = 0

    public init() {}

    public func run() throws {
        let (data, database, output, venue, seed) = (data, database, output, venue, seed)
        do {
            let (events, hash) = try ServeBlocking.run {
                let log = try await EventLogFactory.open(databaseURL: database, dataDirectory: data, fsync: .full)
                do {
                    let result = try await LogExport.write(
                        log: log,
                        to: URL(fileURLWithPath: output),
                        venue: venue,
                        seed: seed
                    )
                    try await log.close()
                    return result
                } catch {
                    try? await log.close()
                    throw error
                }
            }
            print("exported \(events) events to \(output)")
            print("state hash \(hash)")
        } catch {
            ServeBlocking.printError("fulcrum log export: \(error)")
            throw ExitCode(1)
        }
    }
}
