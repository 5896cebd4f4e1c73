import Foundation
import Synchronization

/// Runs async work to completion from a synchronous command (`FulcrumCommand` is a synchronous root, so
/// `serve`, `keys` and `log` bridge here). The calling thread waits; the work runs on the concurrency pool.
enum ServeBlocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                let value = try await work()
                box.result.withLock { $0 = .success(value) }
            } catch {
                box.result.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        guard let outcome = box.result.withLock({ $0 }) else { throw CancellationError() }
        return try outcome.get()
    }

    /// The result slot shared with the task.
    final class Outcome<T: Sendable>: Sendable {
        let result = Mutex<Result<T, any Error>?>(nil)
    }

    /// Milliseconds since the Unix epoch (the service's injected clock).
    @Sendable static func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Writes a line to stderr.
    static func printError(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}
