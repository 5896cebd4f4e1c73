public import FulcrumCore

/// Queries: the keys a price crosses, the re-check after a price update, the accounts under maintenance.
extension LiquidationIndex {
    /// The accounts with a live key in `market` crossed by `triggerPrice` (falling-price keys at or above it,
    /// rising-price keys at or below it, and every "always" key), written to `result` (cleared first; its capacity is
    /// reused). These are the only accounts whose maintenance status a move of `market` to `triggerPrice` can change;
    /// the index is not changed.
    ///
    /// - Complexity: O(log n + k + p): n sorted keys, k crossed keys, p pending keys.
    public func liquidatable(market: MarketID, triggerPrice: Price, into result: inout [AccountID]) {
        result.removeAll(keepingCapacity: true)
        guard market.index < marketCount else { return }
        for side in 0..<2 {
            let book = books[2 * market.index + side]
            let probe = side == 0 ? triggerPrice.raw : -triggerPrice.raw
            let start = book.crossedStart(probe)
            for entry in book.sorted[start...] where isLive(entry) {
                result.append(AccountID(entry.slot / UInt32(marketCount)))
            }
            for entry in book.pending where entry.key >= probe && isLive(entry) {
                result.append(AccountID(entry.slot / UInt32(marketCount)))
            }
        }
    }

    /// Re-checks `market` after its trigger price changed in `engine` (the event is already applied): every pool
    /// with a crossed key in `market` is evaluated exactly and re-keyed; then `result` receives every account the
    /// sweep's first pass would act on, ascending (equal to a full scan of ``ClearingEngine/isUnderMaintenance(_:)``).
    ///
    /// The new trigger price is read from `engine` (mark or oracle per the market's profile), so a mark update on an
    /// oracle-triggered market finds nothing new. An engine whose market count differs rebuilds the index.
    ///
    /// - Complexity: O(log n + k + p + c · s) (see ``LiquidationIndex``); no allocation in steady state apart from
    ///   the periodic key merge.
    public mutating func candidates(
        afterPriceUpdate market: MarketID,
        in engine: ClearingEngine,
        into result: inout [AccountID]
    ) {
        if engine.marketCount != marketCount {
            refreshAll(in: engine)
        } else {
            growAccounts(to: engine.accountCount)
            reprice(market: market.index, engine: engine)
        }
        accountsUnderMaintenance(into: &result)
    }

    /// The accounts with a pool under maintenance at the prices of the last update, ascending, written to `result`
    /// (cleared first; its capacity is reused).
    public func accountsUnderMaintenance(into result: inout [AccountID]) {
        result.removeAll(keepingCapacity: true)
        for (word, bits) in flaggedBits.enumerated() where bits != 0 {
            var rest = bits
            while rest != 0 {
                result.append(AccountID(UInt32(word << 6 + rest.trailingZeroBitCount)))
                rest &= rest - 1
            }
        }
    }

    /// Re-evaluates and re-keys the pools whose key in `market` the current trigger price crosses.
    mutating func reprice(market: Int, engine: ClearingEngine) {
        guard market >= 0, market < marketCount else { return }
        let price = engine.triggerPrice(MarketID(UInt32(market))).raw
        guard price > 0 else { return }
        var crossed = work
        crossed.removeAll(keepingCapacity: true)
        work = []
        // Scoped: the local reference to the generations must end before re-keying mutates them (no copy).
        do {
            let generations = self.generations
            for side in 0..<2 {
                let book = 2 * market + side
                let probe = side == 0 ? price : -price
                let start = books[book].crossedStart(probe)
                for entry in books[book].sorted[start...] where generations[Int(entry.slot)] == entry.generation {
                    crossed.append(entry.slot)
                }
                for entry in books[book].pending
                where entry.key >= probe && generations[Int(entry.slot)] == entry.generation {
                    crossed.append(entry.slot)
                }
                // Every live key in the suffix belongs to a pool re-keyed below: the whole suffix is dead.
                books[book].sorted.removeSubrange(start...)
            }
        }
        let count = UInt32(marketCount)
        let freshStart = (books[2 * market].pending.count, books[2 * market + 1].pending.count)
        for slot in crossed {
            statistics.crossedKeys += 1
            if settleStatic(slot: Int(slot), price: price, engine: engine) {
                statistics.settledWithoutEvaluation += 1
                continue
            }
            statistics.reevaluatedPools += 1
            let account = Int(slot / count)
            let position = engine.positions[Int(slot)]
            if position.mode == .isolated && position.size.raw != 0 {
                rekeyPool(account: account, isolatedMarket: market, engine: engine)
            } else {
                rekeyPool(account: account, isolatedMarket: nil, engine: engine)
            }
        }
        work = crossed
        for side in 0..<2 {
            appendFresh(book: 2 * market + side, from: side == 0 ? freshStart.0 : freshStart.1)
        }
        // Drop the dead crossed entries from the pending runs of this market (in place).
        let live = self.generations
        for side in 0..<2 {
            books[2 * market + side].pending.removeAll { live[Int($0.slot)] != $0.generation }
        }
        maintainBooks()
    }

    /// Moves the keys this update inserted into `book` (pending entries from `start` on) to the end of the sorted run
    /// when they sort after it, which is the rule, not the exception: a key re-inserted by a crossing lies between the
    /// old and the new price, beyond every key that survived the old price. The fresh entries are sorted (nearly
    /// sorted already: crossings are visited in key order) and the part that sorts after the run is appended; the
    /// rest stays pending for the next merge.
    ///
    /// - Complexity: O(f log f) for f fresh keys (O(f) when they arrive in order), no merge of the sorted run.
    mutating func appendFresh(book: Int, from start: Int) {
        guard start < books[book].pending.count else { return }
        books[book].pending[start...].sort { $0.key < $1.key }
        let last = books[book].sorted.last?.key ?? Int64.min
        var split = start
        while split < books[book].pending.count && books[book].pending[split].key < last { split += 1 }
        guard split < books[book].pending.count else { return }
        books[book].sorted.append(contentsOf: books[book].pending[split...])
        books[book].pending.removeSubrange(split...)
    }
}
