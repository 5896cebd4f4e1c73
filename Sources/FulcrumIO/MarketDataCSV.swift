public import Foundation
public import FulcrumAnalytics
import FulcrumCore

/// Fast readers for the shared market-data CSVs (Binance 1-minute mark/index, 8-hour funding, multi-venue funding).
///
/// The file is read (and inflated) into one byte buffer and scanned once; only the requested columns are parsed.
/// Numbers with more than 8 decimals are rounded half-even into fixed point (see ``MarketDataDecimal``).
public enum MarketDataCSV {
    /// Reads a timestamp column and several price columns.
    ///
    /// - Parameters:
    ///   - timestampColumn: the Unix-millisecond column (default `timestamp_ms`).
    ///   - columns: the price columns to read.
    /// - Throws: ``MarketDataError`` naming the file and the missing column, or the row, column and value that
    ///   does not parse.
    public static func readColumns(
        _ url: URL,
        timestampColumn: String = "timestamp_ms",
        columns: [String]
    ) throws(MarketDataError) -> (timestamps: [Int64], values: [[Int64]]) {
        let bytes = try MarketDataGzip.bytes(of: url)
        return try bytes.withUnsafeBufferPointer { buffer throws(MarketDataError) in
            try scan(buffer, name: url.lastPathComponent, timestampColumn: timestampColumn, columns: columns)
        }
    }

    /// Reads one price column as a validated ``PriceSeries``.
    public static func readPrices(
        _ url: URL,
        column: String = "perp_mark",
        timestampColumn: String = "timestamp_ms"
    ) throws(MarketDataError) -> PriceSeries {
        let table = try readColumns(url, timestampColumn: timestampColumn, columns: [column])
        do {
            return try PriceSeries(
                timestamps: table.timestamps,
                prices: table.values[0].map(Price.init(raw:)),
                field: column
            )
        } catch {
            throw MarketDataError("\(url.lastPathComponent): \(error)")
        }
    }

    /// Column names this reader accepts for funding times, in order of preference.
    public static let fundingTimeColumns = ["funding_time_ms", "settlement_time_ms", "fundingTime", "timestamp_ms"]
    /// Column names this reader accepts for funding rates, in order of preference.
    public static let fundingRateColumns = ["funding_rate", "rate_raw", "fundingRate"]

    /// Reads a funding file: Binance `funding_time_ms,…,funding_rate` or the multi-venue
    /// `venue,venue_symbol,…,settlement_time_ms,…,rate_raw,…` layout (then `symbol` selects the `venue_symbol`).
    ///
    /// - Throws: ``MarketDataError`` when no time/rate column is found, when a multi-symbol file is read without
    ///   `symbol` (the message lists the symbols), or when a value does not parse.
    public static func readFunding(_ url: URL, symbol: String? = nil) throws(MarketDataError) -> FundingSeries {
        let bytes = try MarketDataGzip.bytes(of: url)
        let header = headerNames(bytes)
        guard let timeColumn = fundingTimeColumns.first(where: header.contains) else {
            throw MarketDataError("\(url.lastPathComponent): no funding time column (\(fundingTimeColumns))")
        }
        guard let rateColumn = fundingRateColumns.first(where: header.contains) else {
            throw MarketDataError("\(url.lastPathComponent): no funding rate column (\(fundingRateColumns))")
        }
        var keep: [Bool]? = nil
        if let symbolIndex = header.firstIndex(of: "venue_symbol") {
            let symbols = textColumn(bytes, index: symbolIndex)
            let distinct = Array(Set(symbols)).sorted()
            if let symbol {
                guard distinct.contains(symbol) else {
                    throw MarketDataError("--symbol \(symbol) is not in \(url.lastPathComponent) (has \(distinct))")
                }
                keep = symbols.map { $0 == symbol }
            } else if distinct.count > 1 {
                throw MarketDataError("\(url.lastPathComponent) has several symbols \(distinct); pass --symbol")
            }
        }
        let table = try bytes.withUnsafeBufferPointer { buffer throws(MarketDataError) in
            try scan(buffer, name: url.lastPathComponent, timestampColumn: timeColumn, columns: [rateColumn])
        }
        var times: [Int64] = []
        var rates: [Rate] = []
        for row in table.timestamps.indices where keep?[row] ?? true {
            times.append(table.timestamps[row])
            rates.append(Rate(raw: table.values[0][row]))
        }
        do {
            return try FundingSeries(timestamps: times, rates: rates)
        } catch {
            throw MarketDataError("\(url.lastPathComponent): \(error)")
        }
    }

    /// The header's column names.
    public static func headerNames(_ bytes: [UInt8]) -> [String] {
        let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        var line = bytes[0..<end]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
    }

    /// One text column (small files only: builds a String per row).
    static func textColumn(_ bytes: [UInt8], index: Int) -> [String] {
        var result: [String] = []
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).dropFirst()
        for line in lines {
            let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            var field = index < fields.count ? fields[index] : []
            if field.last == UInt8(ascii: "\r") { field = field.dropLast() }
            result.append(String(decoding: field, as: UTF8.self))
        }
        return result
    }

    /// The single pass over the bytes.
    static func scan(
        _ buffer: UnsafeBufferPointer<UInt8>,
        name: String,
        timestampColumn: String,
        columns: [String]
    ) throws(MarketDataError) -> (timestamps: [Int64], values: [[Int64]]) {
        let header = headerNames(Array(buffer.prefix(4_096)))
        guard let timeIndex = header.firstIndex(of: timestampColumn) else {
            throw MarketDataError(
                "\(name): no column \"\(timestampColumn)\" (columns: \(header.joined(separator: ",")))"
            )
        }
        var wanted = [Int](repeating: -1, count: header.count)  // column → slot in `values`
        for (slot, column) in columns.enumerated() {
            guard let index = header.firstIndex(of: column) else {
                throw MarketDataError("\(name): no column \"\(column)\" (columns: \(header.joined(separator: ",")))")
            }
            wanted[index] = slot
        }
        let newline = UInt8(ascii: "\n")
        var dataStart = 0
        while dataStart < buffer.count && buffer[dataStart] != newline { dataStart += 1 }
        dataStart += 1
        let layout = Layout(
            timeColumn: timestampColumn,
            timeIndex: timeIndex,
            wanted: wanted,
            columns: columns,
            headerCount: header.count
        )
        // Large files: two halves split at a line boundary, scanned concurrently and concatenated in order (the
        // result does not depend on scheduling). On any error the file is rescanned sequentially so the message
        // names the exact row.
        if buffer.count - dataStart > 4 << 20 {
            var middle = dataStart + (buffer.count - dataStart) / 2
            while middle < buffer.count && buffer[middle] != newline { middle += 1 }
            middle = min(buffer.count, middle + 1)
            let ranges = [dataStart..<middle, middle..<buffer.count]
            let box = ChunkResults(count: 2)
            nonisolated(unsafe) let shared = buffer
            DispatchQueue.concurrentPerform(iterations: 2) { chunk in
                box.store(chunk, try? scanRange(shared, ranges[chunk], firstRow: 2, name: name, layout: layout))
            }
            if let first = box.results[0], let second = box.results[1] {
                var values = first.values
                for slot in values.indices { values[slot] += second.values[slot] }
                return (first.timestamps + second.timestamps, values)
            }
        }
        return try scanRange(buffer, dataStart..<buffer.count, firstRow: 2, name: name, layout: layout)
    }

    /// Where the wanted columns are.
    struct Layout: Sendable {
        var timeColumn: String
        var timeIndex: Int
        var wanted: [Int]
        var columns: [String]
        var headerCount: Int
    }

    /// Per-chunk results written by concurrent scans at distinct indices.
    final class ChunkResults: @unchecked Sendable {
        private(set) var results: [(timestamps: [Int64], values: [[Int64]])?]
        private let lock = NSLock()
        init(count: Int) { results = Array(repeating: nil, count: count) }
        func store(_ index: Int, _ value: (timestamps: [Int64], values: [[Int64]])?) {
            lock.lock()
            results[index] = value
            lock.unlock()
        }
    }

    /// Scans the lines in `range` (which starts at a line start).
    static func scanRange(
        _ buffer: UnsafeBufferPointer<UInt8>,
        _ range: Range<Int>,
        firstRow: Int,
        name: String,
        layout: Layout
    ) throws(MarketDataError) -> (timestamps: [Int64], values: [[Int64]]) {
        let newline = UInt8(ascii: "\n")
        let comma = UInt8(ascii: ",")
        let carriage = UInt8(ascii: "\r")
        let timeIndex = layout.timeIndex
        let wanted = layout.wanted
        let columns = layout.columns
        let count = range.upperBound
        var position = range.lowerBound
        var timestamps: [Int64] = []
        var values = [[Int64]](repeating: [], count: columns.count)
        let estimate = range.count / max(1, (layout.headerCount * 8))
        timestamps.reserveCapacity(estimate)
        for slot in values.indices { values[slot].reserveCapacity(estimate) }
        let lastNeeded = max(timeIndex, wanted.lastIndex(where: { $0 >= 0 }) ?? 0)
        var row = firstRow - 1
        while position < count {
            row += 1
            if buffer[position] == newline || buffer[position] == carriage {
                position += 1  // an empty line (e.g. a trailing one) carries no sample
                continue
            }
            var column = 0
            var fieldStart = position
            var lineDone = false
            var gotTime = false
            var gotColumns = 0
            while !lineDone {
                var end = fieldStart
                while end < count && buffer[end] != comma && buffer[end] != newline { end += 1 }
                lineDone = end >= count || buffer[end] == newline
                var fieldEnd = end
                if lineDone && fieldEnd > fieldStart && buffer[fieldEnd - 1] == carriage { fieldEnd -= 1 }
                if column == timeIndex {
                    guard let t = MarketDataDecimal.parseInteger(buffer, from: fieldStart, to: fieldEnd) else {
                        throw fieldError(buffer, name, row, layout.timeColumn, fieldStart, fieldEnd)
                    }
                    timestamps.append(t)
                    gotTime = true
                } else if column < wanted.count, wanted[column] >= 0 {
                    guard let v = MarketDataDecimal.parseFixed(buffer, from: fieldStart, to: fieldEnd) else {
                        throw fieldError(buffer, name, row, columns[wanted[column]], fieldStart, fieldEnd)
                    }
                    values[wanted[column]].append(v)
                    gotColumns += 1
                }
                column += 1
                fieldStart = end + 1
                if !lineDone && column > lastNeeded {
                    // Skip the unneeded rest of the line in one scan.
                    var next = fieldStart
                    while next < count && buffer[next] != newline { next += 1 }
                    fieldStart = next + 1
                    lineDone = true
                }
            }
            position = fieldStart
            guard gotTime && gotColumns == columns.count else {
                throw MarketDataError("\(name) row \(row): \(column) fields, expected \(layout.headerCount)")
            }
        }
        return (timestamps, values)
    }

    private static func fieldError(
        _ buffer: UnsafeBufferPointer<UInt8>,
        _ name: String,
        _ row: Int,
        _ column: String,
        _ start: Int,
        _ end: Int
    ) -> MarketDataError {
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
        return MarketDataError("\(name) row \(row) column \(column): \"\(text)\" is not a number")
    }
}
