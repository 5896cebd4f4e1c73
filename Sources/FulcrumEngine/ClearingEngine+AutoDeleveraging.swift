public import FulcrumCore

/// Auto-deleveraging: close a bankrupt position against ranked opposite-side holders at the bankruptcy price.
extension ClearingEngine {
    /// The ADL score of `account`'s position in `market` under `ranking` (higher is deleveraged first), as a raw
    /// ``Rate`` (units of 10⁻⁸), computed by the published formulas in ``AutoDeleveragingRanking`` (each rounds
    /// **toward zero**), with values at the trigger price in the settlement currency:
    ///
    /// - ``AutoDeleveragingRule/Ranking/pnlTimesLeverage`` (BitMEX, Bybit):
    ///   ``AutoDeleveragingRanking/effectiveLeveragePnl(markValue:entryValue:bankruptValue:)`` with
    ///   `markValue` = the position's signed value, `entryValue` = its cost, `bankruptValue = markValue − E`
    ///   (`E` = equity of the margin pool backing it: the cross account or the isolated position).
    /// - ``AutoDeleveragingRule/Ranking/pnlTimesMarginRatio`` (Binance):
    ///   ``AutoDeleveragingRanking/leveragePnl(unrealizedPnl:walletBalance:maintenanceMargin:)`` of the pool
    ///   (wallet or isolated margin, the pool's unrealized PnL and maintenance).
    /// - ``AutoDeleveragingRule/Ranking/unrealizedPnlAndLeverage`` (Hyperliquid):
    ///   ``AutoDeleveragingRanking/hyperliquidIndex(side:markPrice:entryPrice:notional:accountValue:)`` with the
    ///   entry price `|cost| / |size|` (inverse: `|size| · cv / |cost|`) rounded half-even.
    ///
    /// A holder whose pool equity is not positive (bankrupt, awaiting its own liquidation) scores `Int64.max` under the
    /// leverage-based rankings (infinitely leveraged: first in the queue). Unranked rules score 0.
    public func autoDeleveragingScore(
        of account: AccountID,
        in market: MarketID,
        ranking: AutoDeleveragingRule.Ranking
    ) throws(EngineError) -> Int128 {
        do { return try score(account.index, market.index, ranking: ranking) } catch {
            throw Self.engineError(error, context: "ADL score of account \(account)")
        }
    }

    func score(_ account: Int, _ market: Int, ranking: AutoDeleveragingRule.Ranking) throws -> Int128 {
        let position = positions[slot(account, market)]
        guard position.size.raw != 0 else { return 0 }
        let price = triggerPrice(MarketID(UInt32(market)))
        let cross = position.mode == .cross
        func money(_ raw: Int128, _ field: String) throws -> Money {
            Money(raw: try FixedMath.narrow(raw, field: field))
        }
        switch ranking {
        case .pnlTimesLeverage:
            // The pool equity of `crossMetrics` / `isolatedMetrics(requirements: false)`, computed here so the
            // position's value (the same `value(…, rounding: .down)` those sum) is computed once.
            let markValue = try value(position.size, at: price, market: market, rounding: .down)
            var equity =
                (cross ? balances[account].wide : position.isolatedMargin.wide) + markValue - position.cost.wide
            if cross {
                let count = markets.count
                for other in 0..<count where other != market {
                    let held = positions[account * count + other]
                    guard held.size.raw != 0, held.mode == .cross else { continue }
                    equity += try unrealized(held, market: other, price: triggerPrice(MarketID(UInt32(other))))
                }
            }
            guard equity > 0 else { return Int128(Int64.max) }
            let rate = try AutoDeleveragingRanking.effectiveLeveragePnl(
                markValue: try money(markValue, "mark value"),
                entryValue: position.cost,
                bankruptValue: try money(markValue - equity, "bankrupt value")
            )
            return rate.wide
        case .pnlTimesMarginRatio:
            let pool =
                cross ? try crossMetrics(account, initial: false) : try isolatedMetrics(account, market, initial: false)
            let collateral = cross ? balances[account] : position.isolatedMargin
            let rate = try AutoDeleveragingRanking.leveragePnl(
                unrealizedPnl: try money(pool.equity - collateral.wide, "unrealized PnL"),
                walletBalance: collateral,
                maintenanceMargin: try money(pool.maintenance, "maintenance margin")
            )
            return rate.wide
        case .unrealizedPnlAndLeverage:
            let pool =
                cross
                ? try crossMetrics(account, requirements: false)
                : try isolatedMetrics(account, market, requirements: false)
            guard pool.equity > 0 else { return Int128(Int64.max) }
            let contractValue = inverseContractValues[market]
            let entryRaw =
                contractValue == 0
                ? try FixedMath.multiplyDivide(
                    position.cost.magnitude.wide,
                    FixedPointScale.wideFactor,
                    position.size.magnitude.wide,
                    rounding: .halfEven
                )
                : try FixedMath.multiplyDivide(
                    position.size.magnitude.wide,
                    Int128(contractValue),
                    position.cost.magnitude.wide,
                    rounding: .halfEven
                )
            let rate = try AutoDeleveragingRanking.hyperliquidIndex(
                side: position.size.raw > 0 ? .long : .short,
                markPrice: price,
                entryPrice: Price(raw: try FixedMath.narrow(entryRaw, field: "entry price")),
                notional: try notional(position.size, at: price, market: market, rounding: .down),
                accountValue: try money(pool.equity, "account value")
            )
            return rate.wide
        case .pseudoRandom, .socializeProRata:
            return 0
        }
    }

    /// The opposite-side holders of `market` (those whose position sign is `side`), in ADL order.
    ///
    /// Ranked rules: score descending, then account id ascending. ``AutoDeleveragingRule/Ranking/pseudoRandom``
    /// (dYdX): ascending ids rotated by a start drawn from SplitMix64(seed ⊕ event count), so the order is
    /// deterministic for a given seed and log.
    public func autoDeleveragingQueue(
        market: MarketID,
        side: PositionSide,
        excluding: AccountID?
    ) throws(EngineError) -> [AccountID] {
        do { return try queue(market.index, sign: side.sign, excluding: excluding?.index ?? -1) } catch {
            throw Self.engineError(error, context: "ADL queue of market \(market)")
        }
    }

    func queue(_ market: Int, sign: Int64, excluding: Int) throws -> [AccountID] {
        let count = markets.count
        var holders: [Int] = []
        for account in 0..<balances.count where account != excluding {
            let size = positions[account * count + market].size.raw
            if size != 0 && (size > 0) == (sign > 0) { holders.append(account) }
        }
        let ranking = profiles[market].autoDeleveraging.ranking
        switch ranking {
        case .pseudoRandom, .socializeProRata:
            guard !holders.isEmpty else { return [] }
            let start = Int(Self.splitMix(configuration.seed ^ eventCount) % UInt64(holders.count))
            return (holders[start...] + holders[..<start]).map { AccountID(UInt32($0)) }
        default:
            var scored: [(Int128, Int)] = []
            scored.reserveCapacity(holders.count)
            for account in holders { scored.append((try score(account, market, ranking: ranking), account)) }
            scored.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
            return scored.map { AccountID(UInt32($0.1)) }
        }
    }

    /// SplitMix64 finalizer (Steele, Lea, Flood 2014): a deterministic 64-bit mix.
    static func splitMix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The head of the ADL queue of `market`'s holders with sign `sign`, excluding `excluding`, whose sizes cover
    /// `quantity`, from `queues` (see ``AutoDeleveragingQueues``): the same order as ``queue(_:sign:excluding:)``.
    /// The head is written to `queues.head` (a reused buffer).
    func cachedQueue(
        _ market: Int,
        sign: Int64,
        excluding: Int,
        covering quantity: Quantity,
        queues: inout AutoDeleveragingQueues,
        effects: [Effect]
    ) throws {
        queues.head.removeAll(keepingCapacity: true)
        let ranking = profiles[market].autoDeleveraging.ranking
        let count = markets.count
        let unranked = ranking == .pseudoRandom || ranking == .socializeProRata
        if unranked || queues.usesPlainQueue {
            // Unranked rules (a rotation of ascending ids) and the test hook: the plain queue's covering prefix (the
            // fills never reach further). Allocates the plain queue's arrays.
            var covered: Int128 = 0
            for holder in try queue(market, sign: sign, excluding: excluding) where covered < quantity.wide {
                queues.head.append(holder)
                covered += positions[holder.index * count + market].size.magnitude.wide
            }
            return
        }
        // Re-score every account an effect touched since the last call (only they can have changed).
        if queues.seen < effects.count {
            for key in queues.built {
                for index in queues.seen..<effects.count {
                    if let holder = effects[index].account?.index {
                        try rescore(holder, key: key, in: &queues.scored[key])
                    }
                    if let holder = effects[index].counterparty?.index {
                        try rescore(holder, key: key, in: &queues.scored[key])
                    }
                }
            }
            queues.seen = effects.count
        }
        let key = market << 1 | (sign > 0 ? 1 : 0)
        if !queues.scored[key].isBuilt {
            queues.built.append(key)
            if ranking == .pnlTimesLeverage {
                try buildPrefiltered(&queues, market: market, sign: sign)
            } else {
                queues.scored[key].isBuilt = true
                for holder in 0..<balances.count {
                    let size = positions[holder * count + market].size.raw
                    if size != 0 && (size > 0) == (sign > 0) {
                        queues.scored[key].unordered.append((try score(holder, market, ranking: ranking), holder))
                    }
                }
                // No full sort: a heap in O(holders), from which only the head an ADL reaches is ever ordered.
                queues.scored[key].heapify()
            }
        }
        // Merge the scored base (skipping re-scored holders) with the re-scored ones; only the head that covers
        // `quantity` is ever reached.
        var covered: Int128 = 0
        // Re-scored holders at the front of the base stay skipped for good: move the start past them once.
        while let entry = try baseEntry(queues.scored[key].start, of: &queues, key: key),
            queues.scored[key].rescored.contains(entry.1)
        {
            queues.scored[key].start += 1
        }
        var b = queues.scored[key].start
        // Heap entries taken into the head are popped; every holder in the head is deleveraged (so re-scored and
        // pushed again) or is the excluded account, so nothing live is lost.
        while covered < quantity.wide {
            var next = try baseEntry(b, of: &queues, key: key)
            while let entry = next, queues.scored[key].rescored.contains(entry.1) {
                b += 1
                next = try baseEntry(b, of: &queues, key: key)
            }
            queues.scored[key].dropStale()
            let entry: (Int128, Int)
            if let next, queues.scored[key].touched.isEmpty || Self.precedes(next, queues.scored[key].touched[0]) {
                entry = next
                b += 1
            } else if let top = queues.scored[key].touched.first {
                entry = top
                queues.scored[key].popFirst()
                queues.scored[key].rescored.set(top.1, nil)
            } else {
                break
            }
            guard entry.1 != excluding else { continue }
            queues.head.append(AccountID(UInt32(entry.1)))
            covered += positions[entry.1 * count + market].size.magnitude.wide
        }
    }

    /// Entry `index` of the sorted base of `key`, extending a prefiltered base while it cannot tell.
    private func baseEntry(
        _ index: Int,
        of queues: inout AutoDeleveragingQueues,
        key: Int
    ) throws -> (Int128, Int)? {
        if let entry = queues.scored[key].base(at: index) { return entry }
        guard queues.scored[key].bound != nil else { return nil }
        while queues.scored[key].bound != nil {
            try extendBase(&queues, key: key)
            if let entry = queues.scored[key].base(at: index) { return entry }
        }
        return nil
    }

    /// Moves `holder` out of the scored base of `key` (`market << 1 | side`) and, if it still holds that side,
    /// (re)places it among the re-scored holders at its current score.
    private func rescore(_ holder: Int, key: Int, in scored: inout AutoDeleveragingQueues.Scored) throws {
        let market = key >> 1
        let size = positions[holder * markets.count + market].size.raw
        guard size != 0, (size > 0) == (key & 1 == 1) else {
            scored.rescored.set(holder, nil)
            return
        }
        let value = try score(holder, market, ranking: profiles[market].autoDeleveraging.ranking)
        guard scored.rescored.current(holder) != value else { return }
        scored.rescored.set(holder, value)
        scored.push((value, holder))
    }

    /// ADL order: score descending, then account ascending.
    static func precedes(_ a: (Int128, Int), _ b: (Int128, Int)) -> Bool { a.0 != b.0 ? a.0 > b.0 : a.1 < b.1 }

    /// Closes `held` of `account`'s position against the ADL queue at `price`.
    mutating func autoDeleverage(
        _ account: Int,
        _ market: Int,
        held: Quantity,
        price: Price,
        queues: inout AutoDeleveragingQueues,
        effects: inout [Effect]
    ) throws {
        let opposite: Int64 = held.raw > 0 ? -1 : 1
        try cachedQueue(
            market,
            sign: opposite,
            excluding: account,
            covering: held.magnitude,
            queues: &queues,
            effects: effects
        )
        var remaining = held.magnitude
        let count = markets.count
        for holder in queues.head {
            guard remaining.isPositive else { break }
            let holderSize = positions[holder.index * count + market].size.magnitude
            let quantity = Quantity.minimum(remaining, holderSize)
            let notional = try fillAmount(quantity, at: price, market: market)
            // The bankrupt side trades against its position; the holder trades against its own.
            let delta = held.raw > 0 ? -quantity : quantity
            let cash = fillCash(delta: delta, amount: notional, market: market)
            try applyFill(account: account, market: market, delta: delta, cash: cash)
            try applyFill(account: holder.index, market: market, delta: -delta, cash: -cash)
            if positions[holder.index * count + market].size.raw == 0
                && positions[holder.index * count + market].isolatedMargin.raw < 0
            {
                try coverIsolatedDeficitOfHolder(holder.index, market, effects: &effects)
            }
            try releaseIsolatedIfFlat(account: holder.index, market: market)
            remaining -= quantity
            effects.append(
                Effect(
                    kind: .autoDeleverage,
                    account: AccountID(UInt32(account)),
                    market: MarketID(UInt32(market)),
                    counterparty: holder,
                    size: delta,
                    price: price,
                    amount: notional
                )
            )
        }
    }

    /// A holder closed by ADL whose isolated margin went negative hands the deficit to its wallet (rare: the
    /// ADL price is worse than the mark for the holder). The next clean-up pass liquidates the wallet if needed.
    private mutating func coverIsolatedDeficitOfHolder(_ account: Int, _ market: Int, effects: inout [Effect]) throws {
        let index = slot(account, market)
        let deficit = positions[index].isolatedMargin
        willWrite(balance: account)
        balances[account] = try balances[account].adding(deficit)
        willWrite(position: index)
        positions[index].isolatedMargin = .zero
        sweepPending = true
    }
}
