public import FulcrumCore

/// Auto-deleveraging: close a bankrupt position against ranked opposite-side holders at the bankruptcy price.
extension ClearingEngine {
    /// The ADL score of `account`'s position in `market` under `ranking` (higher is deleveraged first), in
    /// units of 10⁻⁸, computed exactly in 128 bits with divisions rounded **toward zero**.
    ///
    /// - PnL% = uPnL / |cost|; effective leverage = |notional| / pool equity (a pool with equity ≤ 0 counts as
    ///   infinitely leveraged); margin ratio = maintenance / pool equity.
    /// - ``AutoDeleveragingRule/Ranking/pnlTimesLeverage`` (BitMEX, Bybit): PnL% × leverage if PnL% > 0, else
    ///   PnL% ÷ leverage.
    /// - ``AutoDeleveragingRule/Ranking/pnlTimesMarginRatio`` (Binance): PnL% × margin ratio.
    /// - ``AutoDeleveragingRule/Ranking/unrealizedPnlAndLeverage`` (Hyperliquid): PnL% × leverage.
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
        let one = FixedPointScale.wideFactor
        let infinite = Int128(Int64.max)
        let position = positions[slot(account, market)]
        let price = triggerPrice(MarketID(UInt32(market)))
        let pnl = try unrealized(position, price: price)
        let cost = position.cost.magnitude.wide
        let pnlPercent = cost == 0 ? 0 : try FixedMath.multiplyDivide(pnl, one, cost, rounding: .towardZero)
        let pool =
            position.mode == .cross
            ? try crossMetrics(account, initial: false) : try isolatedMetrics(account, market, initial: false)
        let notional = try FixedMath.multiplyDivide(position.size.magnitude.wide, price.wide, one, rounding: .down)
        let leverage =
            pool.equity <= 0
            ? infinite : min(try FixedMath.multiplyDivide(notional, one, pool.equity, rounding: .towardZero), infinite)
        switch ranking {
        case .pnlTimesLeverage:
            if pnlPercent > 0 { return try FixedMath.multiplyDivide(pnlPercent, leverage, one, rounding: .towardZero) }
            return leverage == 0
                ? pnlPercent : try FixedMath.multiplyDivide(pnlPercent, one, leverage, rounding: .towardZero)
        case .pnlTimesMarginRatio:
            let ratio =
                pool.equity <= 0
                ? infinite
                : min(try FixedMath.multiplyDivide(pool.maintenance, one, pool.equity, rounding: .towardZero), infinite)
            return try FixedMath.multiplyDivide(pnlPercent, ratio, one, rounding: .towardZero)
        case .unrealizedPnlAndLeverage:
            return try FixedMath.multiplyDivide(pnlPercent, leverage, one, rounding: .towardZero)
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

    /// Closes `held` of `account`'s position against the ADL queue at `price`.
    mutating func autoDeleverage(
        _ account: Int,
        _ market: Int,
        held: Quantity,
        price: Price,
        effects: inout [Effect]
    ) throws {
        let opposite: Int64 = held.raw > 0 ? -1 : 1
        let queue = try queue(market, sign: opposite, excluding: account)
        var remaining = held.magnitude
        let count = markets.count
        for holder in queue {
            guard remaining.isPositive else { break }
            let holderSize = positions[holder.index * count + market].size.magnitude
            let quantity = Quantity.minimum(remaining, holderSize)
            let notional = try quantity.notional(at: price, rounding: .halfEven)
            // The bankrupt side trades against its position; the holder trades against its own.
            let delta = held.raw > 0 ? -quantity : quantity
            let cash = delta.raw > 0 ? -notional : notional
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
        balances[account] = try balances[account].adding(deficit)
        positions[index].isolatedMargin = .zero
        sweepPending = true
    }
}
