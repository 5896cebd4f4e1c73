import Foundation
public import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A throwaway PostgreSQL server for tests: `initdb` into a temporary directory, `pg_ctl start` on a free port
/// of 127.0.0.1 with trust authentication, `pg_ctl stop -m immediate` and the directory removed at the end.
///
/// PostgreSQL refuses to run as root, so when the tests run as root the directory is handed to the `postgres`
/// user and every binary runs through `runuser -u postgres --`. Binaries are looked up in `FULCRUM_PG_BIN`, then
/// `/usr/lib/postgresql/{17,16,15,14}/bin`, then `/usr/local/bin` and `/opt/homebrew/bin`.
///
/// Use ``withServer(_:)``: it returns `nil` (after printing a visible notice) when no PostgreSQL is installed,
/// and records a failure instead when `CI=true`.
public final class PostgresHarness: @unchecked Sendable {
    /// The directory holding `initdb`, `pg_ctl` and `createdb`.
    public let binDirectory: String
    /// The temporary directory (data, socket, log).
    public let directory: String
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// Whether binaries run as the `postgres` user through `runuser`.
    private let asPostgresUser: Bool
    private var running = false
    private var databaseCounter = 0

    /// The superuser name (`initdb -U`).
    public static let superuser = "postgres"

    /// The URL of `database` on this server.
    public func url(database: String) -> String { "postgres://\(Self.superuser)@127.0.0.1:\(port)/\(database)" }

    /// Finds the PostgreSQL binaries, or `nil`.
    public static func findBinaries() -> String? {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["FULCRUM_PG_BIN"] { candidates.append(explicit) }
        candidates += [17, 16, 15, 14].map { "/usr/lib/postgresql/\($0)/bin" }
        candidates += ["/usr/local/bin", "/opt/homebrew/bin"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/pg_ctl") }
    }

    /// Runs `body` with a started server and stops it afterwards (also when `body` throws). Returns `nil`
    /// without running `body` when PostgreSQL is not installed (a failure when `CI=true`).
    public static func withServer<T>(
        _ body: (PostgresHarness) async throws -> T,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> T? {
        guard let bin = findBinaries() else {
            let notice = "PostgreSQL binaries (initdb, pg_ctl) not found: PostgreSQL tests skipped"
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("\(notice) (CI=true requires them)", sourceLocation: sourceLocation)
            } else {
                print("⚠️  NOTICE: \(notice). Install PostgreSQL 15+ or set FULCRUM_PG_BIN.")
            }
            return nil
        }
        let harness = try PostgresHarness(binDirectory: bin)
        do {
            try harness.start()
            let result = try await body(harness)
            harness.stop()
            return result
        } catch {
            harness.stop()
            throw error
        }
    }

    private init(binDirectory: String) throws {
        self.binDirectory = binDirectory
        self.asPostgresUser = getuid() == 0
        let base = FileManager.default.temporaryDirectory.path
        directory = "\(base)/fulcrum-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        if asPostgresUser {
            try Self.run("/bin/chown", ["-R", Self.superuser, directory])
            // The temporary directory must be traversable by the postgres user.
            try Self.run("/bin/chmod", ["0700", directory])
        }
    }

    /// `initdb` (trust auth, no fsync of the data directory) and `pg_ctl start -w`.
    public func start() throws {
        try pg("initdb", ["-D", "\(directory)/data", "-A", "trust", "-U", Self.superuser, "-E", "UTF8", "--no-sync"])
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1"
        try pg(
            "pg_ctl",
            ["-D", "\(directory)/data", "-l", "\(directory)/server.log", "-w", "-t", "60", "-o", options, "start"]
        )
        running = true
    }

    /// Creates a fresh database and returns its URL.
    public func createDatabase(prefix: String = "fulcrum") throws -> String {
        databaseCounter += 1
        let name = "\(prefix)_\(databaseCounter)"
        try pg("createdb", ["-h", "127.0.0.1", "-p", "\(port)", "-U", Self.superuser, name])
        return url(database: name)
    }

    /// Stops the server at once (`-m immediate`: no checkpoint, like a crash) and deletes the directory.
    public func stop() {
        if running {
            _ = try? pg("pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "-w", "stop"])
            running = false
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a PostgreSQL binary (as the postgres user when we are root).
    @discardableResult
    func pg(_ tool: String, _ arguments: [String]) throws -> String {
        let path = "\(binDirectory)/\(tool)"
        if asPostgresUser {
            return try Self.run("/usr/sbin/runuser", ["-u", Self.superuser, "--", path] + arguments)
        }
        return try Self.run(path, arguments)
    }

    /// Runs a process to completion (`posix_spawn` + `waitpid`); throws with its output when it exits non-zero.
    ///
    /// Not Foundation's `Process`: on Linux it detects a child's exit through an inherited socket, and the server
    /// `pg_ctl start` leaves running would hold that socket (and any pipe) open forever. Output goes to a file;
    /// on Linux a `bash` wrapper also closes every inherited descriptor above 2 first, so the daemon holds none
    /// of this process's files or sockets.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("fulcrum-pg-output-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var command = [executable] + arguments
        if FileManager.default.fileExists(atPath: "/proc/self/fd"), FileManager.default.fileExists(atPath: "/bin/bash")
        {
            let closeInherited =
                #"for fd in $(ls /proc/$$/fd); do if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi; done 2>/dev/null; "#
                + #"exec "$@""#
            command = ["/bin/bash", "-c", closeInherited, "bash"] + command
        }
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t?
        #else
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw PostgresHarnessError(message: "cannot start \(command[0]): errno \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw PostgresHarnessError(
                message: "\(executable) \(arguments.joined(separator: " ")) failed (status \(status)): \(text)"
            )
        }
        return text
    }

    /// A port the kernel just handed out for 127.0.0.1 (closed again; a tiny race with other processes).
    public static func freePort() throws -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw PostgresHarnessError(message: "socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw PostgresHarnessError(message: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw PostgresHarnessError(message: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A harness failure (a PostgreSQL tool exited non-zero, a socket call failed).
public struct PostgresHarnessError: Error, CustomStringConvertible {
    /// What failed.
    public var message: String
    /// Creates an error.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
