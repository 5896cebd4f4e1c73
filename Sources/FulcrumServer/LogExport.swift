public import Foundation
import FulcrumEngine
import FulcrumIO
public import FulcrumStore

/// Exports a durable log as a v1 JSON-lines file (header first) that `fulcrum replay` accepts.
public enum LogExport {
    /// Writes the header and every event line to `url`, then replays the file and returns the event count and
    /// the replayed state hash (16 hex digits), which must equal the live server's `/v1/state` hash.
    ///
    /// - Throws: log read errors, file errors, or ``EventDecodeError`` when the exported file does not replay.
    public static func write(
        log: any EventLog,
        to url: URL,
        venue: String,
        seed: UInt64
    ) async throws -> (Int64, String) {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw EngineServiceError("cannot create \(url.path)")
        }
        let handle = try FileHandle(forWritingTo: url)
        var count: Int64 = 0
        do {
            try handle.write(contentsOf: Data((EventCodec.header(venue: venue, seed: seed) + "\n").utf8))
            var after: Int64 = 0
            while true {
                let page = try await log.events(after: after, limit: 5_000)
                if page.isEmpty { break }
                var text = ""
                for event in page {
                    guard event.sequence == after + 1 else {
                        throw EngineServiceError("the log skips from event \(after) to \(event.sequence)")
                    }
                    text += event.line + "\n"
                    after = event.sequence
                }
                try handle.write(contentsOf: Data(text.utf8))
                count = after
            }
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        let outcome = try ReplayRunner.run(url: url, options: ReplayOptions())
        return (count, EngineService.hex(outcome.engine.stateHash))
    }
}
