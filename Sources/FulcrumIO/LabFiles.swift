import Foundation

/// Small file helpers for the lab's command-line outputs.
public enum LabFiles {
    /// Writes `text` to `path` (UTF-8, atomically).
    ///
    /// - Throws: ``LabFileError`` naming the path.
    public static func write(_ text: String, to path: String) throws(LabFileError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LabFileError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Reads a UTF-8 text file.
    ///
    /// - Throws: ``LabFileError`` naming the path.
    public static func read(_ path: String) throws(LabFileError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw LabFileError("cannot read \(path)") }
        guard let text = String(data: data, encoding: .utf8) else { throw LabFileError("\(path) is not UTF-8 text") }
        return text
    }

    /// Creates a directory (and parents) if needed.
    ///
    /// - Throws: ``LabFileError`` naming the path.
    public static func createDirectory(_ path: String) throws(LabFileError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw LabFileError("cannot create directory \(path): \(error.localizedDescription)")
        }
    }
}
