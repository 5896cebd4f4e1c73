public import FulcrumCore

/// A price series from a CSV column (e.g. `perp_mark` of the Binance BTCUSDT 1-minute file), for historical replay.
public enum CSVPriceSeries {
    /// Reads `column` from `path` (`.csv` or `.csv.gz`), rows `startRow ..< startRow + rows` (all when `rows` is
    /// nil), as exact fixed-point prices.
    ///
    /// Values with more than 8 decimals (float artefacts such as `123237.94232609`) are rounded half-even to 10⁻⁸:
    /// they are recorded observations, the rounding favours no one.
    ///
    /// - Throws: ``LabFileError`` naming the file, row and value that does not parse or is not positive.
    public static func load(
        path: String,
        column: String,
        startRow: Int = 0,
        rows: Int? = nil
    ) throws(LabFileError) -> [Price] {
        let table = try CSVTable.load(path: path)
        let c = try table.column(column, file: path)
        guard startRow >= 0, startRow < table.rows.count else {
            throw LabFileError("\(path): startRow \(startRow) is outside 0..<\(table.rows.count)")
        }
        let end = rows.map { Swift.min(table.rows.count, startRow + Swift.max(0, $0)) } ?? table.rows.count
        var prices: [Price] = []
        prices.reserveCapacity(end - startRow)
        for r in startRow..<end {
            let row = table.rows[r]
            guard c < row.count else { throw LabFileError("\(path): row \(r + 2) has no column \(column)") }
            let price = try LabDecimal.price(row[c], file: path, row: r + 2, column: column)
            guard price.isPositive else {
                throw LabFileError("\(path): row \(r + 2) \(column) \(price) is not positive")
            }
            prices.append(price)
        }
        return prices
    }
}
