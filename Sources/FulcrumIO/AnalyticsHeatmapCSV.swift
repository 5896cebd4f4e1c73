public import Foundation
public import FulcrumCore

/// Reads open positions for the liquidation heatmap.
///
/// Layouts: the scenario CSV `side,entry,size,leverage` (exact decimals; side long/short), or the Hyperliquid
/// 2025-10-10 file read by ``CSVPositions`` (open rows only, `position_size ≠ 0`, of the chosen asset; the entry is `entry_price`, or the
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
        let table = try AnalyticsCSVTable(url: url)
        if table.header.contains("user_address") {
            let recorded: [RecordedPosition]
            do { recorded = try CSVPositions.load(path: url.path, asset: asset) } catch {
                throw MarketDataError(error.description)
            }
            var rows: [Row] = []
            for position in recorded where !position.size.isZero {
                let entry = position.entry ?? position.mark
                guard entry.isPositive else { continue }
                rows.append(Row(side: position.side, entry: entry, size: position.size, leverage: assumedLeverage))
            }
            return (rows, recorded.first?.mark)
        }
        let name = table.name
        var rows: [Row] = []
        let iSide = try table.column("side")
        let iEntry = try table.column("entry")
        let iSize = try table.column("size")
        let iLeverage = try table.column("leverage")
        for (lineNumber, row) in table.lines {
            guard iSide < row.count, let side = PositionSide(rawValue: row[iSide].lowercased()) else {
                throw MarketDataError("\(name) row \(lineNumber) column side: must be long or short")
            }
            let entry: Price = try table.number(row, iEntry, "entry", lineNumber)
            let size: Quantity = try table.number(row, iSize, "size", lineNumber)
            let leverage: Leverage = try table.number(row, iLeverage, "leverage", lineNumber)
            guard entry.isPositive, size.isPositive, leverage.isPositive else {
                throw MarketDataError("\(name) row \(lineNumber): entry, size and leverage must be positive")
            }
            rows.append(Row(side: side, entry: entry, size: size, leverage: leverage))
        }
        return (rows, nil)
    }
}
