public import Foundation
public import FulcrumCore

/// Reads open positions for the liquidation heatmap.
///
/// Layouts: the scenario CSV `side,entry,size,leverage` (exact decimals; side long/short), or the Hyperliquid
/// 2025-10-10 file (open rows only, `position_size ≠ 0`, of the chosen asset; the entry is `entry_price`, or the
/// `mark_price` when blank because the position pre-dates the window; leverage is not in the file, so every row gets
/// `assumedLeverage`). The file's mark price is returned as the reference when present.
public enum AnalyticsHeatmapCSV {
    /// One open position before its liquidation price is solved.
    public struct Row: Sendable, Hashable {
        /// Side.
        public var side: PositionSide
        /// Entry price.
        public var entry: Price
        /// Absolute size.
        public var size: Quantity
        /// Leverage.
        public var leverage: Leverage
    }

    /// Loads the rows and the file's reference (mark) price when it has one.
    ///
    /// - Throws: ``MarketDataError`` naming the file, row, column and value.
    public static func load(
        _ url: URL,
        asset: String,
        assumedLeverage: Leverage
    ) throws(MarketDataError) -> (
        rows: [Row], reference: Price?
    ) {
        let bytes = try MarketDataGzip.bytes(of: url)
        let name = url.lastPathComponent
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard let headerLine = lines.first else { throw MarketDataError("\(name) is empty") }
        let header = AnalyticsPositionsCSV.fields(headerLine)
        func column(_ key: String) throws(MarketDataError) -> Int {
            guard let index = header.firstIndex(of: key) else {
                throw MarketDataError("\(name): no column \"\(key)\" (columns: \(header.joined(separator: ",")))")
            }
            return index
        }
        func number<T: FixedPointNumber>(
            _ row: [String],
            _ index: Int,
            _ key: String,
            _ line: Int
        )
            throws(MarketDataError) -> T
        {
            let text = index < row.count ? row[index] : ""
            let bytes = Array(text.utf8)
            guard
                let raw = bytes.withUnsafeBufferPointer({ MarketDataDecimal.parseFixed($0, from: 0, to: bytes.count) })
            else { throw MarketDataError("\(name) row \(line) column \(key): \"\(text)\" is not a number") }
            return T(raw: raw)
        }
        var rows: [Row] = []
        var reference: Price?
        if header.contains("user_address") {
            let iAsset = try column("asset")
            let iSide = try column("side")
            let iSize = try column("position_size")
            let iEntry = try column("entry_price")
            let iMark = try column("mark_price")
            for (offset, line) in lines.dropFirst().enumerated() {
                let row = AnalyticsPositionsCSV.fields(line)
                guard iAsset < row.count, row[iAsset].uppercased() == asset.uppercased() else { continue }
                let lineNumber = offset + 2
                let size: Quantity = try number(row, iSize, "position_size", lineNumber)
                let mark: Price = try number(row, iMark, "mark_price", lineNumber)
                reference = reference ?? mark
                guard !size.isZero else { continue }
                let entry: Price = row[iEntry].isEmpty ? mark : try number(row, iEntry, "entry_price", lineNumber)
                guard entry.isPositive else { continue }
                let side: PositionSide = row[iSide].uppercased() == "LONG" ? .long : .short
                rows.append(Row(side: side, entry: entry, size: size.magnitude, leverage: assumedLeverage))
            }
        } else {
            let iSide = try column("side")
            let iEntry = try column("entry")
            let iSize = try column("size")
            let iLeverage = try column("leverage")
            for (offset, line) in lines.dropFirst().enumerated() {
                let row = AnalyticsPositionsCSV.fields(line)
                let lineNumber = offset + 2
                guard iSide < row.count, let side = PositionSide(rawValue: row[iSide].lowercased()) else {
                    throw MarketDataError("\(name) row \(lineNumber) column side: must be long or short")
                }
                let entry: Price = try number(row, iEntry, "entry", lineNumber)
                let size: Quantity = try number(row, iSize, "size", lineNumber)
                let leverage: Leverage = try number(row, iLeverage, "leverage", lineNumber)
                guard entry.isPositive, size.isPositive, leverage.isPositive else {
                    throw MarketDataError("\(name) row \(lineNumber): entry, size and leverage must be positive")
                }
                rows.append(Row(side: side, entry: entry, size: size, leverage: leverage))
            }
        }
        return (rows, reference)
    }
}
