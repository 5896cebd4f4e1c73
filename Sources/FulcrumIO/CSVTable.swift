import Foundation

/// A plain comma-separated table (header row + rows, no quoting: the shared data files use none), read from a
/// `.csv` file or a gzip'd `.csv.gz`.
///
/// Gzip: the file is decompressed by spawning `gzip -dc FILE` (Foundation `Process`), which is on every Linux and
/// macOS machine; a small inflater would duplicate a well-tested tool for no gain. A missing `gzip` or a corrupt
/// file is an error naming the file.
public struct CSVTable: Sendable {
    /// Column names.
    public var header: [String]
    /// Rows as fields (each row has `header.count` fields or fewer).
    public var rows: [[Substring]]

    /// Parses CSV text.
    public init(text: String) {
        var lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        let head =
            lines.isEmpty
            ? []
            : lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        header = head
        rows = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    /// Reads a `.csv` or `.csv.gz` file.
    ///
    /// - Throws: ``LabFileError`` naming the file.
    public static func load(path: String) throws(LabFileError) -> CSVTable {
        if path.hasSuffix(".gz") { return CSVTable(text: try gunzip(path)) }
        return CSVTable(text: try LabFiles.read(path))
    }

    /// The index of a column.
    ///
    /// - Throws: ``LabFileError`` naming the column and the columns present.
    public func column(_ name: String, file: String) throws(LabFileError) -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw LabFileError("\(file): no column \"\(name)\" (columns: \(header.joined(separator: ", ")))")
        }
        return index
    }

    /// Decompresses a gzip file with `gzip -dc`.
    static func gunzip(_ path: String) throws(LabFileError) -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw LabFileError("cannot read \(path)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw LabFileError("cannot run gzip for \(path): \(error.localizedDescription)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LabFileError("gzip -dc \(path) failed with status \(process.terminationStatus)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw LabFileError("\(path) is not UTF-8 text") }
        return text
    }
}
