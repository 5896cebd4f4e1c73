public import FulcrumCore

/// One row of the Hyperliquid 2025-10-10 positions file (`positions_FINAL_btc_sol_…csv`, a third-party
/// reconstruction; see `shared/data/hyperliquid-2025-10-10-positions-conejo/SOURCE.md`).
public struct RecordedPosition: Sendable, Hashable {
    /// `LONG` → long, `SHORT` → short.
    public var side: PositionSide
    /// Position size at the end of the window (coin units; 0 when closed).
    public var size: Quantity
    /// Entry price, when the position opened inside the window.
    public var entry: Price?
    /// The authors' leverage estimate, when present.
    public var leverage: Double?
    /// Whether the position was liquidated in the window.
    public var wasLiquidated: Bool
    /// Whether the position was auto-deleveraged in the window.
    public var wasADL: Bool

    /// Creates a row.
    public init(side: PositionSide, size: Quantity, entry: Price?, leverage: Double?, wasLiquidated: Bool, wasADL: Bool)
    {
        self.side = side
        self.size = size
        self.entry = entry
        self.leverage = leverage
        self.wasLiquidated = wasLiquidated
        self.wasADL = wasADL
    }
}

/// Reads the Hyperliquid 2025-10-10 positions file.
public enum CSVPositions {
    /// The rows for `asset` (`BTC` or `SOL`), in file order.
    ///
    /// - Throws: ``LabFileError`` naming the file, row and field.
    public static func load(path: String, asset: String) throws(LabFileError) -> [RecordedPosition] {
        let table = try CSVTable.load(path: path)
        let a = try table.column("asset", file: path)
        let s = try table.column("side", file: path)
        let size = try table.column("position_size", file: path)
        let entry = try table.column("entry_price", file: path)
        let leverage = try table.column("leverage_ratio", file: path)
        let liquidated = try table.column("was_liquidated", file: path)
        let adl = try table.column("was_adl", file: path)
        var out: [RecordedPosition] = []
        for (r, row) in table.rows.enumerated()
        where row.count > Swift.max(a, s, size, entry, leverage, liquidated, adl) {
            guard row[a] == asset else { continue }
            let side: PositionSide
            switch row[s] {
            case "LONG": side = .long
            case "SHORT": side = .short
            default: throw LabFileError("\(path): row \(r + 2) side \"\(row[s])\" is not LONG/SHORT")
            }
            let q = try LabDecimal.quantity(row[size], file: path, row: r + 2, column: "position_size")
            let e =
                row[entry].isEmpty
                ? nil : try LabDecimal.price(row[entry], file: path, row: r + 2, column: "entry_price")
            let l = row[leverage].isEmpty ? nil : Double(row[leverage])
            out.append(
                RecordedPosition(
                    side: side,
                    size: q.magnitude,
                    entry: e,
                    leverage: l,
                    wasLiquidated: row[liquidated] == "True",
                    wasADL: row[adl] == "True"
                )
            )
        }
        return out
    }
}
