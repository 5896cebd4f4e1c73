public import FulcrumCore

/// The keys nearest to a market's trigger price: the positions the next price moves re-check first, for an
/// "accounts closest to liquidation" list that does not scan every account.
extension LiquidationIndex {
    /// One live key of a market with its distance from the trigger price.
    public struct NearKey: Sendable, Hashable {
        /// The account holding the position.
        public var account: AccountID
        /// The market of the position.
        public var market: MarketID
        /// The price at which the position's pool is re-checked: a falling price reaching it (``fallingPrice``) or
        /// a rising price reaching it; `nil` for a key the market's every update crosses ("always": a pool whose
        /// price is inside its own narrow uncertainty window, or without a proven bound).
        public var price: Price?
        /// Whether a falling price crosses the key (a long keyed as safe, or a short keyed as under maintenance).
        public var fallingPrice: Bool
        /// `|trigger − price|` in units of 10⁻⁸; 0 for a key the trigger price already crosses or an "always" key.
        public var distance: Int64
    }

    /// The `count` live keys of `market` nearest to `triggerPrice`, nearest first (ties: lower position slot first),
    /// from both books (falling- and rising-price keys). A key the price already crosses, or an "always" key, has
    /// distance 0. The index is not changed.
    ///
    /// Equal to sorting every live key of the market by (distance, slot) and taking the first `count` (the property
    /// test compares it with that full scan).
    ///
    /// - Complexity: O(log n + count + d + p + c): n sorted keys, d dead keys passed over below the trigger price,
    ///   p pending keys, c keys the price already crosses.
    public func nearestKeys(market: MarketID, triggerPrice: Price, count: Int) -> [NearKey] {
        guard count > 0, market.index < marketCount, triggerPrice.isPositive else { return [] }
        // Candidates as (distance, slot, key, side); the nearest `count` of each run are enough.
        var found: [(distance: Int64, slot: UInt32, key: Int64, side: Int)] = []
        for side in 0..<2 {
            let book = books[2 * market.index + side]
            // Normalised so that an entry is crossed when key ≥ probe; an uncrossed key lies `probe − key` away.
            let probe = side == 0 ? triggerPrice.raw : -triggerPrice.raw
            let start = book.crossedStart(probe)
            for entry in book.sorted[start...] where isLive(entry) {
                found.append((0, entry.slot, entry.key, side))
            }
            // Walking down from the trigger price: the nearest `count` live keys, plus any further ones with the
            // same key as the last taken (equal distance: the slot order decides among them).
            var taken = 0
            var lastKey = Int64.min
            var position = start
            while position > 0 {
                position -= 1
                let entry = book.sorted[position]
                guard isLive(entry) else { continue }
                if taken >= count && entry.key != lastKey { break }
                found.append((Self.gap(probe, entry.key), entry.slot, entry.key, side))
                taken += 1
                lastKey = entry.key
            }
            for entry in book.pending where isLive(entry) {
                found.append((entry.key >= probe ? 0 : Self.gap(probe, entry.key), entry.slot, entry.key, side))
            }
        }
        found.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.slot < $1.slot }
        let markets = UInt32(marketCount)
        return found.prefix(count).map { item in
            NearKey(
                account: AccountID(item.slot / markets),
                market: market,
                price: Self.keyPrice(item.key, side: item.side),
                fallingPrice: item.side == 0,
                distance: item.distance
            )
        }
    }

    /// `probe − key` for an uncrossed key (`key < probe`), saturating at `Int64.max` (a key far below any price).
    static func gap(_ probe: Int64, _ key: Int64) -> Int64 {
        let (difference, overflow) = probe.subtractingReportingOverflow(key)
        return overflow ? Int64.max : difference
    }

    /// The price a normalised key stands for: the key itself on the falling side, minus it on the rising side;
    /// `nil` for "always" or a key outside the positive prices.
    static func keyPrice(_ key: Int64, side: Int) -> Price? {
        guard key != always else { return nil }
        let raw = side == 0 ? key : (key == Int64.min ? Int64.max : -key)
        return raw > 0 ? Price(raw: raw) : nil
    }
}
