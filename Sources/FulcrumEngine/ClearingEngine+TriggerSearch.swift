public import FulcrumCore

/// The exact trigger price of one pool: the first tick at which the engine would liquidate it, other markets
/// unchanged (the liquidation-hunting view of `fulcrum scan`).
extension ClearingEngine {
    /// The first tick of `market`'s trigger price (mark or oracle, as the market's profile says) at which the pool
    /// holding `account`'s position in `market` (its cross pool, or that isolated position) has `equity <
    /// maintenance`, searching down from the current trigger price for a long and up for a short; the current
    /// price when the pool is liquidatable already; `nil` when the account has no open position in `market`, or no
    /// positive price (down to one tick for a long, up to 100× the current price for a short) triggers it, and for
    /// the backstop account, which the engine never liquidates.
    ///
    /// The search bisects over tick multiples on the pool's `equity − maintenance` written as a price-independent
    /// base plus the position's own term (``positionTerm(_:market:price:)``: value rounded **down**, maintenance
    /// rounded **up**, the sweep's roundings), so one probe costs one valuation instead of a copy of the engine.
    /// The answer is then confirmed on copies of the engine with the trigger price event applied, at the tick found
    /// and at its neighbour on the safe side; if either disagrees (a venue whose pool figures are not a sum of
    /// per-position terms) the whole bisection is redone on engine copies. The result is therefore always the
    /// engine's own: the answer a full bisection over applied price events gives.
    ///
    /// - Complexity: O(log(P / tick)) position valuations plus two engine evaluations.
    /// - Throws: ``EngineError`` for an unknown account or market, or an overflow in the engine's own figures.
    public func liquidationTriggerPrice(of account: AccountID, in market: MarketID) throws(EngineError) -> Price? {
        try requireIDs(account, market, context: "trigger price")
        let position = self.position(account, market)
        guard position.isOpen, account != configuration.backstopAccount else { return nil }
        let current = triggerPrice(market)
        guard current.isPositive else { return nil }
        let pool = try poolMetrics(account, market, position.mode)
        let slack = pool.equity - pool.maintenance
        if slack < 0 { return current }
        let exact = TriggerProbe.exact(engine: self, account: account, market: market, mode: position.mode)
        let tick = tick(market)
        guard let term = try? positionTerm(position, market: market.index, price: current) else {
            return try TriggerSearch.first(position: position, current: current, tick: tick, probe: exact)
        }
        let cheap = TriggerProbe.term(engine: self, position: position, market: market.index, base: slack - term)
        let found = try TriggerSearch.first(position: position, current: current, tick: tick, probe: cheap)
        if try TriggerSearch.confirms(found, position: position, current: current, tick: tick, probe: exact) {
            return found
        }
        return try TriggerSearch.first(position: position, current: current, tick: tick, probe: exact)
    }

    /// ``requireAccount(_:field:)`` and ``requireMarket(_:)`` with the typed error.
    func requireIDs(_ account: AccountID, _ market: MarketID, context: String) throws(EngineError) {
        do {
            try requireAccount(account)
            try requireMarket(market)
        } catch { throw Self.engineError(error, context: context) }
    }

    /// The market's tick in raw price units (at least one).
    func tick(_ market: MarketID) -> Int64 { max(1, specs[market.index].tickSize.raw) }

    /// The metrics of the pool holding `account`'s position in `market`: its cross pool, or that isolated pool, as
    /// the position's margin mode says.
    ///
    /// - Throws: ``EngineError`` for an unknown account or market, or an overflow.
    public func poolMetrics(of account: AccountID, holding market: MarketID) throws(EngineError) -> PoolMetrics {
        try requireIDs(account, market, context: "pool metrics")
        return try poolMetrics(account, market, position(account, market).mode)
    }

    /// The metrics of the pool holding the position: the cross pool or the isolated one.
    func poolMetrics(_ account: AccountID, _ market: MarketID, _ mode: MarginMode) throws(EngineError) -> PoolMetrics {
        mode == .cross ? try crossMargin(of: account) : try isolatedMargin(of: account, in: market)
    }
}

/// One way of asking "is the pool liquidatable at this trigger price?".
struct TriggerProbe {
    /// The question itself; `nil` when the figures overflow at that price.
    let liquidatable: (Price) throws(EngineError) -> Bool

    /// The engine's own answer: a copy with the trigger-price event applied, then the pool's metrics.
    static func exact(engine: ClearingEngine, account: AccountID, market: MarketID, mode: MarginMode) -> TriggerProbe {
        let markTriggered = engine.profiles[market.index].liquidationTrigger == .markPrice
        return TriggerProbe { (price: Price) throws(EngineError) -> Bool in
            var copy = engine
            var effects: [Effect] = []
            let event: EngineEvent =
                markTriggered ? .markPrice(market: market, price: price) : .indexPrice(market: market, price: price)
            try copy.apply(event, effects: &effects)
            let metrics = try copy.poolMetrics(account, market, mode)
            return metrics.equity < metrics.maintenance
        }
    }

    /// The pool's `equity − maintenance` as `base + positionTerm(price)`; an overflow counts as liquidatable, which
    /// only sends the confirmation to the exact path.
    static func term(engine: ClearingEngine, position: Position, market: Int, base: Int128) -> TriggerProbe {
        let evaluator = PositionTermEvaluator(engine, market: market)
        return TriggerProbe { (price: Price) throws(EngineError) -> Bool in
            guard let term = try? evaluator.term(position, price: price) else { return true }
            let (sum, overflow) = base.addingReportingOverflow(term)
            return overflow || sum < 0
        }
    }
}

/// Bisection over tick multiples for the first liquidatable tick (integer index arithmetic, no rounding).
enum TriggerSearch {
    /// The highest liquidatable tick at or below the current price (long) or the lowest above it (short), assuming
    /// the current price is safe and the probe is monotone in price; `nil` when none in range triggers.
    static func first(
        position: Position,
        current: Price,
        tick: Int64,
        probe: TriggerProbe
    ) throws(EngineError)
        -> Price?
    {
        let now = current.raw / tick  // tick index at or below the current price
        if position.size.isPositive {
            // Highest k in [1, now] with liquidatable(k·tick): equity falls with the price for a long.
            guard try probe.liquidatable(Price(raw: tick)) else { return nil }
            var low: Int64 = 1  // liquidatable
            var high = now  // safe (the current price's tick, or the current price itself)
            if high <= low { return Price(raw: low * tick) }
            while high - low > 1 {
                let mid = low + (high - low) / 2
                if try probe.liquidatable(Price(raw: mid * tick)) { low = mid } else { high = mid }
            }
            return Price(raw: low * tick)
        }
        let limit = min(Int64.max / 2 / tick, now.multipliedReportingOverflow(by: 100).partialValue)
        guard try probe.liquidatable(Price(raw: limit * tick)) else { return nil }
        var low = now + 1  // the first tick above the current price
        if try probe.liquidatable(Price(raw: low * tick)) { return Price(raw: low * tick) }
        var high = limit  // liquidatable
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if try probe.liquidatable(Price(raw: mid * tick)) { high = mid } else { low = mid }
        }
        return Price(raw: high * tick)
    }

    /// Whether `found` is the exact probe's boundary: liquidatable at `found`, safe one tick towards the current
    /// price (or `nil` confirmed by the range's end being safe).
    static func confirms(
        _ found: Price?,
        position: Position,
        current: Price,
        tick: Int64,
        probe: TriggerProbe
    ) throws(EngineError) -> Bool {
        let now = current.raw / tick
        guard let found else {
            let end =
                position.size.isPositive
                ? tick : min(Int64.max / 2 / tick, now.multipliedReportingOverflow(by: 100).partialValue) * tick
            return try !probe.liquidatable(Price(raw: end))
        }
        guard try probe.liquidatable(found) else { return false }
        let index = found.raw / tick
        if position.size.isPositive {
            // The safe neighbour: one tick up, or the current price when `found` is the current price's tick.
            let neighbour = index + 1 <= now ? Price(raw: (index + 1) * tick) : current
            if neighbour == found { return true }
            return try !probe.liquidatable(neighbour)
        }
        let neighbour = index - 1 > now ? Price(raw: (index - 1) * tick) : current
        return try !probe.liquidatable(neighbour)
    }
}
