public import Foundation

/// Errors of the subprocess harnesses, with what was expected and what was seen.
public struct HarnessError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// The built `fulcrum` executable, run as a child process the way a user runs it.
public struct FulcrumBinary: Sendable {
    /// Path of the executable.
    public var url: URL

    /// The `fulcrum` built beside the running test bundle (`swift build --build-tests` builds both into the same
    /// directory), or `$FULCRUM_BIN` when set.
    public static func locate() throws -> FulcrumBinary {
        if let override = ProcessInfo.processInfo.environment["FULCRUM_BIN"], !override.isEmpty {
            return FulcrumBinary(url: URL(fileURLWithPath: override))
        }
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = me.deletingLastPathComponent()
        // On Linux the test bundle is `…/debug/FulcrumPackageTests.xctest` (a file); on macOS it is a directory.
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("fulcrum")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return FulcrumBinary(url: candidate)
            }
            directory = directory.deletingLastPathComponent()
            if directory.lastPathComponent == ".build" { break }
        }
        throw HarnessError("no built `fulcrum` next to \(me.path); run `swift build --build-tests` or set FULCRUM_BIN")
    }

    /// Runs `fulcrum arguments…` to completion and returns its exit status and output.
    public func run(
        _ arguments: [String],
        environment: [String: String] = [:]
    ) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }
}

/// A long-running `fulcrum serve` child process: started, waited for until it prints its listening line, and
/// stopped with a signal of the test's choosing (SIGKILL for crash tests).
public final class ServeProcess: @unchecked Sendable {
    /// The port the server printed.
    public let port: Int
    /// The host the server printed.
    public let host: String
    private let process: Process
    private let output: OutputCollector

    /// Starts `fulcrum serve arguments…` (add `--port 0` to get an ephemeral port) and waits until it prints
    /// `fulcrum serve listening on http://HOST:PORT`.
    ///
    /// - Throws: ``HarnessError`` if it exits or stays silent for `timeout` seconds.
    public init(binary: FulcrumBinary, arguments: [String], timeout: TimeInterval = 60) throws {
        let process = Process()
        process.executableURL = binary.url
        process.arguments = ["serve"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let output = OutputCollector()
        output.attach(out.fileHandleForReading, stream: .stdout)
        output.attach(err.fileHandleForReading, stream: .stderr)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var endpoint: (String, Int)?
        while Date() < deadline {
            if let found = output.listeningEndpoint() {
                endpoint = found
                break
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        guard let (host, port) = endpoint else {
            if process.isRunning { process.terminate() }
            throw HarnessError(
                "fulcrum serve did not start (exit \(process.isRunning ? "none" : "\(process.terminationStatus)")): "
                    + "stdout: \(output.text(.stdout)) stderr: \(output.text(.stderr))"
            )
        }
        self.process = process
        self.output = output
        self.host = host
        self.port = port
    }

    /// Whether the child is still running.
    public var isRunning: Bool { process.isRunning }

    /// Everything the child printed so far on stdout and stderr.
    public var transcript: String { "stdout:\n\(output.text(.stdout))\nstderr:\n\(output.text(.stderr))" }

    /// Sends `signal` (e.g. `SIGKILL`, `SIGTERM`) and waits for the child to exit; returns its status.
    @discardableResult
    public func stop(signal: Int32) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Collects a child's stdout and stderr on background threads.
final class OutputCollector: @unchecked Sendable {
    enum Stream { case stdout, stderr }
    private let lock = NSLock()
    private var stdout = Data()
    private var stderr = Data()

    func attach(_ handle: FileHandle, stream: Stream) {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                lock.lock()
                switch stream {
                case .stdout: stdout.append(chunk)
                case .stderr: stderr.append(chunk)
                }
                lock.unlock()
            }
        }
        thread.start()
    }

    func text(_ stream: Stream) -> String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: stream == .stdout ? stdout : stderr, as: UTF8.self)
    }

    /// Host and port from the `fulcrum serve listening on http://HOST:PORT` line, once printed.
    func listeningEndpoint() -> (String, Int)? {
        let marker = "fulcrum serve listening on http://"
        let all = text(.stdout)
        guard let range = all.range(of: marker) else { return nil }
        let rest = all[range.upperBound...]
        guard let end = rest.firstIndex(of: "\n") else { return nil }
        let hostPort = rest[..<end]
        guard let colon = hostPort.lastIndex(of: ":"), let port = Int(hostPort[hostPort.index(after: colon)...])
        else { return nil }
        return (String(hostPort[..<colon]), port)
    }
}
