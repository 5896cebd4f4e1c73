public import FulcrumCore

/// One row of the Hyperliquid 2025-10-10 positions file (`positions_FINAL_btc_sol_…csv`, a third-party
/// reconstruction; see `shared/data/hyperliquid-2025-10-10-positions-conejo/SOURCE.md`).
///
/// The one reader of that file: the cascade lab's population (`"population": {"file": …}`), the heatmap and ADL
/// (`fulcrum heatmap --positions`, `fulcrum adl --positions`) all use it.
public struct RecordedPosition: Sendable, Hashable {
    /// `user_address`.
    public var user: String
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
    /// `mark_price` at the end of the window.
    public var mark: Price
    /// `absolute_pnl` (USD; realised plus unrealised in the window).
    public var pnl: Money
    /// `pnl_percent` (in percent: 12.5 is 12.5 %) when present and representable in fixed point (the file has
    /// artefacts such as 2.6e15 %, read as missing).
    public var pnlPercent: Rate?

    /// Creates a row.
    public init(
        user: String = "",
        side: PositionSide,
        size: Quantity,
        entry: Price?,
        leverage: Double?,
        wasLiquidated: Bool,
        wasADL: Bool,
        mark: Price = .zero,
        pnl: Money = .zero,
        pnlPercent: Rate? = nil
    ) {
        self.user = user
        self.side = side
        self.size = size
        self.entry = entry
        self.leverage = leverage
        self.wasLiquidated = wasLiquidated
        self.wasADL = wasADL
        self.mark = mark
        self.pnl = pnl
        self.pnlPercent = pnlPercent
    }
}

/// Reads the Hyperliquid 2025-10-10 positions file.
public enum CSVPositions {
    /// The rows for `asset` (`BTC` or `SOL`, any case), in file order.
    ///
    /// - Throws: ``LabFileError`` naming the file, row and field.
    public static func load(path: String, asset: String) throws(LabFileError) -> [RecordedPosition] {
        let table = try CSVTable.load(path: path)
        let u = try table.column("user_address", file: path)
        let a = try table.column("asset", file: path)
        let s = try table.column("side", file: path)
        let size = try table.column("position_size", file: path)
        let entry = try table.column("entry_price", file: path)
        let leverage = try table.column("leverage_ratio", file: path)
        let liquidated = try table.column("was_liquidated", file: path)
        let adl = try table.column("was_adl", file: path)
        let mark = try table.column("mark_price", file: path)
        let pnl = try table.column("absolute_pnl", file: path)
        let percent = try table.column("pnl_percent", file: path)
        let wanted = asset.uppercased()
        var out: [RecordedPosition] = []
        for (r, row) in table.rows.enumerated()
        where row.count > Swift.max(u, a, s, size, entry, leverage, liquidated, adl, mark, pnl, percent) {
            guard row[a].uppercased() == wanted else { continue }
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
            let m = try LabDecimal.price(row[mark], file: path, row: r + 2, column: "mark_price")
            let p = try LabDecimal.raw(row[pnl], file: path, row: r + 2, column: "absolute_pnl")
            // An unparseable or out-of-range pnl_percent (the file's artefacts) counts as missing.
            let f = (try? LabDecimal.raw(row[percent], file: path, row: r + 2, column: "pnl_percent")).map {
                Rate(raw: $0)
            }
            out.append(
                RecordedPosition(
                    user: String(row[u]),
                    side: side,
                    size: q.magnitude,
                    entry: e,
                    leverage: l,
                    wasLiquidated: row[liquidated] == "True",
                    wasADL: row[adl] == "True",
                    mark: m,
                    pnl: Money(raw: p),
                    pnlPercent: f
                )
            )
        }
        return out
    }
}
