public import FulcrumCore

/// Equity and margin of accounts, through the profile's shared margin functions
/// (`VenueProfile.maintenanceMargin` / `initialMargin`): the engine never re-implements margin rules.
extension ClearingEngine {
    /// Unrealized PnL of `position` in `market` at `price`: `value(size, price) − cost` (linear `size · price − cost`,
    /// inverse `−size · cv / price − cost`), the value rounded **down** (favours the venue: equity is never
    /// overstated), as 128-bit raw money in the settlement currency.
    @inlinable
    func unrealized(_ position: Position, market: Int, price: Price) throws -> Int128 {
        try value(position.size, at: price, market: market, rounding: .down) - position.cost.wide
    }

    /// Maintenance (and, when `initial`, initial) margin of one position at the market's trigger price.
    func requirements(_ position: Position, market: Int, initial: Bool) throws -> (Int128, Int128) {
        let price = triggerPrice(MarketID(UInt32(market)))
        // Elements are borrowed through buffer pointers: no copy (retain/release) of the profile or the tier
        // table per call on this hot path.
        return try profiles.withUnsafeBufferPointer { profiles in
            try specs.withUnsafeBufferPointer { specs in
                let maintenance = try profiles[market].maintenanceMargin(
                    size: position.size,
                    price: price,
                    market: specs[market]
                )
                guard initial else { return (maintenance.wide, 0) }
                let openInterest = try notional(
                    markets[market].longOpenInterest,
                    at: price,
                    market: market,
                    rounding: .down
                )
                let im = try profiles[market].initialMargin(
                    size: position.size,
                    price: price,
                    leverage: position.leverage,
                    market: specs[market],
                    openInterestNotional: openInterest
                )
                return (maintenance.wide, im.wide)
            }
        }
    }

    /// The cross pool of `account`: wallet plus cross positions at trigger prices; margin requirements are
    /// computed only when `requirements` (maintenance) and `initial` (initial margin) ask for them.
    func crossMetrics(_ account: Int, initial: Bool = true, requirements: Bool = true) throws -> PoolMetrics {
        var metrics = PoolMetrics(equity: balances[account].wide)
        let count = markets.count
        let base = account * count
        for market in 0..<count {
            let position = positions[base + market]
            guard position.size.raw != 0, position.mode == .cross else { continue }
            metrics.equity += try unrealized(position, market: market, price: triggerPrice(MarketID(UInt32(market))))
            metrics.openPositions += 1
            guard requirements else { continue }
            let (mm, im) = try self.requirements(position, market: market, initial: initial)
            metrics.maintenance += mm
            metrics.initial += im
        }
        return metrics
    }

    /// The isolated pool of `account` in `market`: its isolated margin plus its unrealized PnL.
    func isolatedMetrics(
        _ account: Int,
        _ market: Int,
        initial: Bool = true,
        requirements: Bool = true
    ) throws
        -> PoolMetrics
    {
        let position = positions[slot(account, market)]
        var metrics = PoolMetrics(equity: position.isolatedMargin.wide)
        guard position.size.raw != 0 else { return metrics }
        metrics.equity += try unrealized(position, market: market, price: triggerPrice(MarketID(UInt32(market))))
        metrics.openPositions = 1
        guard requirements else { return metrics }
        let (mm, im) = try self.requirements(position, market: market, initial: initial)
        metrics.maintenance = mm
        metrics.initial = im
        return metrics
    }

    /// Cross-margin equity and requirements of `account` at trigger prices.
    ///
    /// - Throws: ``EngineError`` on overflow or an unknown account.
    public func crossMargin(of account: AccountID) throws(EngineError) -> PoolMetrics {
        do {
            try requireAccount(account)
            return try crossMetrics(account.index)
        } catch { throw Self.engineError(error, context: "cross margin of account \(account)") }
    }

    /// Equity and requirements of the isolated position of `account` in `market`.
    ///
    /// - Throws: ``EngineError`` on overflow or unknown ids.
    public func isolatedMargin(of account: AccountID, in market: MarketID) throws(EngineError) -> PoolMetrics {
        do {
            try requireAccount(account)
            try requireMarket(market)
            return try isolatedMetrics(account.index, market.index)
        } catch { throw Self.engineError(error, context: "isolated margin of account \(account)") }
    }

    /// Converts any error thrown inside the engine into an ``EngineError``.
    static func engineError(_ error: any Error, context: String) -> EngineError {
        if let error = error as? EngineError { return error }
        if let error = error as? ArithmeticError { return EngineError(error, context: context) }
        return EngineError(.invalidState, "\(context): \(error)")
    }
}
