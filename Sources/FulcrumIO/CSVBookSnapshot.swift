public import FulcrumCore
public import FulcrumLab

/// An L2 snapshot CSV with columns `side` (`bid`/`ask`), `level` (0 = best), `price`, `qty` (or `size`) — the
/// Binance USD-M REST depth snapshot (1,000 levels per side) or one Hyperliquid `l2Book` snapshot.
public enum CSVBookSnapshot {
    /// The snapshot's bid and ask curves relative to its mid `(best bid + best ask) / 2` (rounded half-even).
    ///
    /// When the file holds several snapshots (a `exch_time_ms`/`last_update_id` column), only the first is used.
    ///
    /// - Throws: ``LabFileError`` naming the file and row, or the book's validation message.
    public static func load(path: String) throws(LabFileError) -> (bids: BookLevels, asks: BookLevels, mid: Price) {
        let table = try CSVTable.load(path: path)
        let side = try table.column("side", file: path)
        let level = try table.column("level", file: path)
        let price = try table.column("price", file: path)
        let qtyName = table.header.contains("qty") ? "qty" : "size"
        let qty = try table.column(qtyName, file: path)
        var bids: [(Int, Price, Quantity)] = []
        var asks: [(Int, Price, Quantity)] = []
        var seen = Set<String>()
        for (r, row) in table.rows.enumerated() {
            guard row.count > Swift.max(side, level, price, qty) else { continue }
            let key = "\(row[side])/\(row[level])"
            if seen.contains(key) { break }  // a second snapshot starts
            seen.insert(key)
            guard let l = Int(row[level]) else {
                throw LabFileError("\(path): row \(r + 2) level \"\(row[level])\" is not an integer")
            }
            let p = try LabDecimal.price(row[price], file: path, row: r + 2, column: "price")
            let q = try LabDecimal.quantity(row[qty], file: path, row: r + 2, column: qtyName)
            switch row[side].lowercased() {
            case "bid", "b": bids.append((l, p, q))
            case "ask", "a": asks.append((l, p, q))
            default: throw LabFileError("\(path): row \(r + 2) side \"\(row[side])\" is not bid/ask")
            }
        }
        bids.sort { $0.0 < $1.0 }
        asks.sort { $0.0 < $1.0 }
        guard let bestBid = bids.first?.1, let bestAsk = asks.first?.1 else {
            throw LabFileError("\(path): snapshot needs both bids and asks")
        }
        // Mid = (bid + ask) / 2, half-even: a reference point, favours no one.
        let midRaw = (Int128(bestBid.raw) + Int128(bestAsk.raw))
        let mid = Price(raw: Int64((try? FixedMath.divide(midRaw, by: 2, rounding: .halfEven)) ?? midRaw / 2))
        do {
            let b = try BookLevels.snapshot(prices: bids.map(\.1), sizes: bids.map(\.2), mid: mid, isBid: true)
            let a = try BookLevels.snapshot(prices: asks.map(\.1), sizes: asks.map(\.2), mid: mid, isBid: false)
            return (b, a, mid)
        } catch {
            throw LabFileError("\(path): \(error.message)")
        }
    }
}
