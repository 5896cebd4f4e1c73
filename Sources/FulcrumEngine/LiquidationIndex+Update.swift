import FulcrumCore

/// Keeping the index in step with the engine after each applied event.
extension LiquidationIndex {
    /// The accounts an applied event may have changed (balances, positions, isolated margins).
    public enum TouchedSet: Sendable, Hashable {
        /// No account changed (insurance deposits, rejected events).
        case none
        /// These accounts (ascending, no duplicates).
        case accounts([AccountID])
        /// Every account holding an open position in the market (funding).
        case holders(MarketID)
        /// These accounts (ascending, no duplicates) and every holder of these markets (ascending, no duplicates):
        /// a sweep that socialized a loss, which charges every open position of the market.
        case accountsAndHolders([AccountID], markets: [MarketID])
        /// Only the market's prices changed: call ``LiquidationIndex/candidates(afterPriceUpdate:in:into:)``.
        case price(MarketID)
        /// Everything (a listing changes the layout): call ``LiquidationIndex/refreshAll(in:)``.
        case all
    }

    /// What `event`, applied with `effects`, may have changed. Every mutation path of the engine is covered: a trade
    /// moves its two accounts; deposits, withdrawals, leverage, margin mode and isolated-margin transfers their
    /// account; funding every holder of the market; a listing the layout; a sweep (and a targeted liquidation, whose
    /// effects are the same kinds) exactly the accounts and counterparties its effects name (fills, fees, insurance
    /// covers, ADL, bad debt: every balance or position it changes emits one of those), plus every holder of a market
    /// where it socialized a loss (one market-wide ``Effect/Kind/socializedLoss`` effect charges them all).
    public static func touchedAccounts(by event: EngineEvent, effects: [Effect]) -> TouchedSet {
        switch event {
        case .listMarket:
            return .all
        case .deposit(let account, _), .withdraw(let account, _):
            return .accounts([account])
        case .setLeverage(let account, _, _), .setMarginMode(let account, _, _),
            .adjustIsolatedMargin(let account, _, _):
            return .accounts([account])
        case .trade(let trade):
            return .accounts(trade.buyer < trade.seller ? [trade.buyer, trade.seller] : [trade.seller, trade.buyer])
        case .indexPrice(let market, _), .markPrice(let market, _):
            return .price(market)
        case .funding(let market, _):
            return .holders(market)
        case .insuranceDeposit, .insuranceWithdrawal:
            return .none
        case .liquidationSweep:
            return touchedAccounts(effects: effects)
        }
    }

    /// The accounts and counterparties named by `effects`, ascending and unique, with the markets where a loss was
    /// socialized (`.none` when there are none).
    public static func touchedAccounts(effects: [Effect]) -> TouchedSet {
        var accounts: [AccountID] = []
        var markets: [MarketID] = []
        for effect in effects {
            if let account = effect.account { accounts.append(account) }
            if let counterparty = effect.counterparty { accounts.append(counterparty) }
            if effect.kind == .socializedLoss, let market = effect.market { markets.append(market) }
        }
        guard !accounts.isEmpty || !markets.isEmpty else { return .none }
        let unique = ascendingUnique(accounts)
        return markets.isEmpty ? .accounts(unique) : .accountsAndHolders(unique, markets: ascendingUnique(markets))
    }

    private static func ascendingUnique<T: Comparable>(_ values: [T]) -> [T] {
        let sorted = values.sorted()
        var unique: [T] = []
        unique.reserveCapacity(sorted.count)
        for value in sorted where unique.last != value { unique.append(value) }
        return unique
    }

    /// Brings the index up to date after `event` was applied to `engine` with `effects` (do not call for a rejected
    /// event: nothing changed). Price events re-check the crossed keys of their market; a listing, or an engine whose
    /// market count differs from the index's, rebuilds everything.
    ///
    /// Allocation-free in steady state apart from key merges: the accounts are read from the event and the effects
    /// in place.
    public mutating func update(after event: EngineEvent, effects: [Effect], in engine: ClearingEngine) {
        guard engine.marketCount == marketCount else {
            refreshAll(in: engine)
            return
        }
        growAccounts(to: engine.accountCount)
        switch event {
        case .listMarket:
            refreshAll(in: engine)
        case .indexPrice(let market, _), .markPrice(let market, _):
            reprice(market: market.index, engine: engine)
        case .funding(let market, _):
            refreshHolders(market: market.index, engine: engine)
        case .deposit(let account, _), .withdraw(let account, _):
            refreshAccount(account.index, engine: engine)
        case .setLeverage(let account, _, _), .setMarginMode(let account, _, _),
            .adjustIsolatedMargin(let account, _, _):
            refreshAccount(account.index, engine: engine)
        case .trade(let trade):
            refreshAccount(trade.buyer.index, engine: engine)
            refreshAccount(trade.seller.index, engine: engine)
        case .insuranceDeposit, .insuranceWithdrawal:
            break
        case .liquidationSweep:
            refresh(effects: effects, engine: engine)
        }
    }

    /// Re-keys the accounts named by `effects` (after a targeted liquidation or a sweep).
    public mutating func refresh(effects: [Effect], in engine: ClearingEngine) {
        guard engine.marketCount == marketCount else {
            refreshAll(in: engine)
            return
        }
        growAccounts(to: engine.accountCount)
        refresh(effects: effects, engine: engine)
    }

    /// Re-keys `accounts` (their balances or positions changed). Unknown accounts are ignored.
    public mutating func refresh(accounts: some Sequence<AccountID>, in engine: ClearingEngine) {
        guard engine.marketCount == marketCount else {
            refreshAll(in: engine)
            return
        }
        growAccounts(to: engine.accountCount)
        for account in accounts where account.index < accountCount { refreshAccount(account.index, engine: engine) }
    }

    /// Applies a ``TouchedSet``: re-keys its accounts, re-checks a price change, or rebuilds.
    public mutating func refresh(_ touched: TouchedSet, in engine: ClearingEngine) {
        guard engine.marketCount == marketCount else {
            refreshAll(in: engine)
            return
        }
        growAccounts(to: engine.accountCount)
        switch touched {
        case .none: break
        case .accounts(let accounts): refresh(accounts: accounts, in: engine)
        case .holders(let market): refreshHolders(market: market.index, engine: engine)
        case .accountsAndHolders(let accounts, let markets):
            refresh(accounts: accounts, in: engine)
            for market in markets where market.index < marketCount {
                refreshHolders(market: market.index, engine: engine)
            }
        case .price(let market): reprice(market: market.index, engine: engine)
        case .all: refreshAll(in: engine)
        }
    }

    /// Rebuilds the index from every account of `engine`.
    public mutating func refreshAll(in engine: ClearingEngine) {
        accountCount = 0
        marketCount = engine.marketCount
        backstop = engine.configuration.backstopAccount.index
        generations = []
        slotBooks = []
        books = Array(repeating: LiquidationKeyBook(), count: 2 * marketCount)
        liveCounts = Array(repeating: 0, count: 2 * marketCount)
        crossFlags = []
        isolatedFlags = []
        flaggedPools = []
        flaggedBits = []
        flaggedAccounts = 0
        slotBounds = []
        growAccounts(to: engine.accountCount)
        for account in 0..<accountCount
        where engine.openPositionCounts[account] != 0 || engine.balances[account].raw < 0 {
            refreshAccount(account, engine: engine, maintain: false)
        }
        let generations = self.generations
        for book in books.indices { books[book].merge { generations[Int($0.slot)] == $0.generation } }
    }

    /// Extends the per-account arrays to `count` accounts (new accounts are flat: nothing to key).
    mutating func growAccounts(to count: Int) {
        guard count > accountCount else { return }
        let slots = count * marketCount
        generations.append(contentsOf: repeatElement(0, count: slots - generations.count))
        slotBooks.append(contentsOf: repeatElement(-1, count: slots - slotBooks.count))
        isolatedFlags.append(contentsOf: repeatElement(false, count: slots - isolatedFlags.count))
        slotBounds.append(contentsOf: repeatElement(SlotBounds(), count: slots - slotBounds.count))
        flaggedBits.append(contentsOf: repeatElement(0, count: (count + 63) / 64 - flaggedBits.count))
        crossFlags.append(contentsOf: repeatElement(false, count: count - crossFlags.count))
        flaggedPools.append(contentsOf: repeatElement(0, count: count - flaggedPools.count))
        accountCount = count
    }

    /// Re-keys every pool of one account.
    mutating func refreshAccount(_ account: Int, engine: ClearingEngine, maintain: Bool = true) {
        guard account < accountCount else { return }
        let base = account * marketCount
        for market in 0..<marketCount {
            reset(slot: base + market)
            setFlag(account: account, isolatedMarket: market, false)
        }
        rekeyPool(account: account, isolatedMarket: nil, engine: engine)
        for market in 0..<marketCount {
            let position = engine.positions[base + market]
            guard position.size.raw != 0, position.mode == .isolated else { continue }
            rekeyPool(account: account, isolatedMarket: market, engine: engine)
        }
        if maintain { maintainBooks() }
    }

    /// Re-keys every account with an open position in `market`.
    mutating func refreshHolders(market: Int, engine: ClearingEngine) {
        for account in 0..<accountCount where engine.positions[account * marketCount + market].size.raw != 0 {
            refreshAccount(account, engine: engine)
        }
    }

    /// Re-keys the accounts and counterparties named by `effects`, then every holder of a market where a loss was
    /// socialized (once per market; the list is only allocated when there is one).
    mutating func refresh(effects: [Effect], engine: ClearingEngine) {
        var last = -1  // consecutive effects mostly name the same accounts: skip immediate repeats
        var socialized: [Int] = []
        for effect in effects {
            for account in [effect.account, effect.counterparty] {
                guard let account, account.index != last else { continue }
                refreshAccount(account.index, engine: engine)
                last = account.index
            }
            if effect.kind == .socializedLoss, let market = effect.market, market.index < marketCount,
                !socialized.contains(market.index)
            {
                socialized.append(market.index)
            }
        }
        for market in socialized { refreshHolders(market: market, engine: engine) }
    }

    /// Merges or compacts the books whose pending runs or dead entries grew too large.
    mutating func maintainBooks() {
        for book in books.indices {
            let stored = books[book].sorted.count + books[book].pending.count
            let dead = stored - liveCounts[book]
            let mergeDue = books[book].pending.count > books[book].mergeThreshold
            let compactDue = dead > liveCounts[book] + 4_096
            guard mergeDue || compactDue else { continue }
            let generations = self.generations
            let live = { (entry: LiquidationKeyBook.Entry) in generations[Int(entry.slot)] == entry.generation }
            if compactDue { books[book].compact(isLive: live) }
            books[book].merge(isLive: live)
            statistics.merges += 1
        }
    }
}
