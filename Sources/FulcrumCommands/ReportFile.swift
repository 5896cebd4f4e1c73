import ArgumentParser
import Foundation

/// Writes the HTML report of a command's `--report PATH` option.
enum ReportFile {
    /// Writes `text` to `path`; a failure is a validation error naming `--report` and the path.
    static func write(_ text: String, toReportPath path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ValidationError("--report \"\(path)\" cannot be written: \(error.localizedDescription)")
        }
    }
}
