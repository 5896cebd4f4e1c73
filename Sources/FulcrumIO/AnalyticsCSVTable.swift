import Foundation
import FulcrumCore

/// A small text CSV (no quoting) read whole: header lookup by name and exact fixed-point cells whose errors name
/// the file, the row and the column. Shared by the analytics position readers.
struct AnalyticsCSVTable {
    /// File name, for error messages.
    let name: String
    /// Header fields.
    let header: [String]
    /// Data lines (after the header), with their 1-based line numbers in the file.
    let lines: [(number: Int, fields: [String])]

    /// Reads `url` (plain or gzip) and splits it into header and data lines.
    init(url: URL) throws(MarketDataError) {
        let bytes = try MarketDataGzip.bytes(of: url)
        name = url.lastPathComponent
        let raw = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard let headerLine = raw.first else { throw MarketDataError("\(url.lastPathComponent) is empty") }
        header = AnalyticsPositionsCSV.fields(headerLine)
        lines = raw.dropFirst().enumerated().map {
            (number: $0.offset + 2, fields: AnalyticsPositionsCSV.fields($0.element))
        }
    }

    /// The index of column `key`; an error lists the columns there are.
    func column(_ key: String) throws(MarketDataError) -> Int {
        guard let index = header.firstIndex(of: key) else {
            throw MarketDataError("\(name): no column \"\(key)\" (columns: \(header.joined(separator: ",")))")
        }
        return index
    }

    /// The fixed-point value in `row[index]` (decimal rounded half-even to 8 places by `MarketDataDecimal`).
    func number<T: FixedPointNumber>(
        _ row: [String],
        _ index: Int,
        _ key: String,
        _ line: Int
    ) throws(MarketDataError) -> T {
        let text = index < row.count ? row[index] : ""
        let bytes = Array(text.utf8)
        guard let raw = bytes.withUnsafeBufferPointer({ MarketDataDecimal.parseFixed($0, from: 0, to: bytes.count) })
        else { throw MarketDataError("\(name) row \(line) column \(key): \"\(text)\" is not a number") }
        return T(raw: raw)
    }
}
