public import FulcrumCore
public import FulcrumEngine

/// The liquidation-hunting view: after an oracle update, the accounts within a distance of liquidation, with the
/// exact trigger price of each, computed with the engine's own margin metrics.
///
/// The trigger price of an account is found by bisection over tick multiples on a copy of the engine whose market
/// trigger price is replaced (`.markPrice` or `.indexPrice`, as the venue's trigger says): the pool (cross or the
/// isolated position) is liquidatable when `equity < maintenance` (``FulcrumEngine/PoolMetrics``). For a long it
/// is the highest such tick, for a short the lowest: the first tick at which the engine would liquidate.
public enum LiquidationScanner {
    /// Accounts with an open position in `market` whose trigger price is within `within` (a fraction, e.g. 0.05)
    /// of the current trigger price, nearest first (ties: account id).
    ///
    /// Accounts whose margin buffer exceeds `2 × |size| × price × within` are skipped without a search (a move of
    /// `within` changes their equity by at most `|size| × price × within` and maintenance by less).
    ///
    /// - Throws: ``AnalyticsError`` for a negative `within` or an engine error.
    public static func scan(
        engine: ClearingEngine,
        market: MarketID,
        within: Double
    ) throws(AnalyticsError) -> [ScanEntry] {
        guard within >= 0, within.isFinite else { throw AnalyticsError("within \(within) must not be negative") }
        guard market.index < engine.marketCount else { throw AnalyticsError("market \(market.index) is not listed") }
        let price = engine.triggerPrice(market)
        guard price.isPositive else { return [] }
        var entries: [ScanEntry] = []
        do {
            for index in 0..<engine.accountCount {
                let account = AccountID(UInt32(index))
                let position = engine.position(account, market)
                guard position.isOpen else { continue }
                let metrics = try pool(engine, account, market, position.mode)
                let buffer = metrics.equity - metrics.maintenance  // 10⁻⁸ units
                let notional = position.size.magnitude.wide * price.wide  // 10⁻¹⁶ units
                let reach = Double(notional) / 1e8 * within * 2
                if Double(buffer) > reach { continue }
                guard let trigger = try triggerPrice(engine, account, market, position) else { continue }
                let distance = abs(Double(trigger.raw) - Double(price.raw)) / Double(price.raw)
                guard distance <= within else { continue }
                entries.append(
                    ScanEntry(
                        account: account,
                        market: market,
                        size: position.size,
                        mode: position.mode,
                        price: price,
                        liquidationPrice: trigger,
                        distance: distance
                    )
                )
            }
        } catch {
            throw AnalyticsError("scan: \(error)")
        }
        return entries.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.account < $1.account }
    }

    static func pool(
        _ engine: ClearingEngine,
        _ account: AccountID,
        _ market: MarketID,
        _ mode: MarginMode
    )
        throws(EngineError) -> PoolMetrics
    {
        mode == .cross ? try engine.crossMargin(of: account) : try engine.isolatedMargin(of: account, in: market)
    }

    /// Whether the account's pool is liquidatable with the market's trigger price set to `price`.
    static func liquidatable(
        _ engine: ClearingEngine,
        _ account: AccountID,
        _ market: MarketID,
        _ mode: MarginMode,
        at price: Price
    ) throws(EngineError) -> Bool {
        var copy = engine
        var effects: [Effect] = []
        let event: EngineEvent =
            engine.profiles[market.index].liquidationTrigger == .markPrice
            ? .markPrice(market: market, price: price) : .indexPrice(market: market, price: price)
        try copy.apply(event, effects: &effects)
        let metrics = try pool(copy, account, market, mode)
        return metrics.equity < metrics.maintenance
    }

    /// The first tick at which the pool is liquidatable, searching down (long) or up (short) from the current
    /// trigger price; the current price when already liquidatable; `nil` when no positive price up to 100× triggers.
    public static func triggerPrice(
        _ engine: ClearingEngine,
        _ account: AccountID,
        _ market: MarketID,
        _ position: Position
    ) throws(EngineError) -> Price? {
        let tick = max(1, engine.specs[market.index].tickSize.raw)
        let current = engine.triggerPrice(market)
        let now = current.raw / tick  // tick index at or below the price (integer index arithmetic)
        if try liquidatable(engine, account, market, position.mode, at: current) { return current }
        if position.size.isPositive {
            // Highest tick k in [1, now] with liquidatable(k·tick); liquidatable is monotone (equity rises with P).
            guard try liquidatable(engine, account, market, position.mode, at: Price(raw: tick)) else { return nil }
            var low: Int64 = 1  // liquidatable
            var high = now  // not liquidatable (or equal to the current price's tick)
            if high <= low { return Price(raw: low * tick) }
            while high - low > 1 {
                let mid = low + (high - low) / 2
                if try liquidatable(engine, account, market, position.mode, at: Price(raw: mid * tick)) {
                    low = mid
                } else {
                    high = mid
                }
            }
            return Price(raw: low * tick)
        } else {
            let limit = min(Int64.max / 2 / tick, now.multipliedReportingOverflow(by: 100).partialValue)
            guard try liquidatable(engine, account, market, position.mode, at: Price(raw: limit * tick)) else {
                return nil
            }
            var low = now + 1  // candidates start above the current price
            var high = limit  // liquidatable
            if try liquidatable(engine, account, market, position.mode, at: Price(raw: low * tick)) {
                return Price(raw: low * tick)
            }
            while high - low > 1 {
                let mid = low + (high - low) / 2
                if try liquidatable(engine, account, market, position.mode, at: Price(raw: mid * tick)) {
                    high = mid
                } else {
                    low = mid
                }
            }
            return Price(raw: high * tick)
        }
    }
}
