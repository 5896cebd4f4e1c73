import FulcrumCore

/// Trades and the position arithmetic every fill (trade, liquidation, ADL) goes through.
extension ClearingEngine {
    /// Moves `delta` base and `cash` into `account`'s position in `market` (`cash` = minus the fill's signed value:
    /// > 0 when selling a linear contract or buying an inverse one; see ``fillCash(delta:amount:market:)``).
    ///
    /// Increasing: `cost −= cash`. Reducing: the closed fraction of the cost, `cost · closed / |size|`
    /// (rounded **toward zero**; either rounding conserves money because the same amount leaves the cost and
    /// enters the realized PnL), is released and `realized = cash_closed − released` goes to the margin pool
    /// (wallet or isolated margin). The cash split between the closing and the opening part of a flip is also
    /// rounded toward zero, the remainder staying with the opening part. Open interest is updated.
    ///
    /// - Returns: the realized PnL.
    @discardableResult
    mutating func applyFill(account: Int, market: Int, delta: Quantity, cash: Money) throws -> Money {
        let index = slot(account, market)
        var position = positions[index]
        let old = position.size
        var realized = Money.zero
        if old.raw == 0 || (old.raw > 0) == (delta.raw > 0) {
            position.size = try old.adding(delta)
            position.cost = try position.cost.subtracting(cash)
            if old.raw == 0 { position.fundingIndex = markets[market].fundingIndex }
        } else {
            let closing = Quantity.minimum(delta.magnitude, old.magnitude)
            // Both quotients below are a fraction ≤ 1 of an Int64 value (closing ≤ |delta|, closing ≤ |size|),
            // so the Int64 conversions cannot trap.
            // A fraction of 1 (the whole fill, the whole position: every liquidation that closes in full) is the
            // value itself, exactly as the division gives it; only a true fraction divides.
            let cashClosing =
                closing == delta.magnitude
                ? cash
                : Money(
                    raw: Int64(
                        try FixedMath.multiplyDivide(
                            cash.wide,
                            closing.wide,
                            delta.magnitude.wide,
                            rounding: .towardZero
                        )
                    )
                )
            let cashOpening = cash - cashClosing  // |cashClosing| ≤ |cash|: cannot overflow
            let released =
                closing == old.magnitude
                ? position.cost
                : Money(
                    raw: Int64(
                        try FixedMath.multiplyDivide(
                            position.cost.wide,
                            closing.wide,
                            old.magnitude.wide,
                            rounding: .towardZero
                        )
                    )
                )
            realized = try cashClosing.subtracting(released)
            position.cost = position.cost - released  // |released| ≤ |cost|
            position.size = try old.adding(delta)
            if closing < delta.magnitude {
                position.cost = try position.cost.subtracting(cashOpening)
                position.fundingIndex = markets[market].fundingIndex
            }
            if position.mode == .cross {
                willWrite(balance: account)
                balances[account] = try balances[account].adding(realized)
            } else {
                position.isolatedMargin = try position.isolatedMargin.adding(realized)
            }
        }
        let newSize = position.size
        if (old.raw == 0) != (newSize.raw == 0) {
            willWrite(openPositionCount: account)
            openPositionCounts[account] += old.raw == 0 ? 1 : -1
        }
        var state = markets[market]
        state.longOpenInterest = try state.longOpenInterest.adding(Quantity(raw: max(newSize.raw, 0) - max(old.raw, 0)))
        state.shortOpenInterest = try state.shortOpenInterest.adding(
            Quantity(raw: max(-newSize.raw, 0) - max(-old.raw, 0))
        )
        willWrite(market: market)
        markets[market] = state
        willWrite(position: index)
        positions[index] = position
        return realized
    }

    /// Returns a flat isolated position's margin to the wallet.
    mutating func releaseIsolatedIfFlat(account: Int, market: Int) throws {
        let index = slot(account, market)
        let position = positions[index]
        guard position.size.raw == 0, position.isolatedMargin.raw != 0 else { return }
        willWrite(balance: account)
        balances[account] = try balances[account].adding(position.isolatedMargin)
        willWrite(position: index)
        positions[index].isolatedMargin = .zero
    }

    /// Applies a trade: validate the fields, move the positions and fees, then check margins; on any failure
    /// the touched records are restored.
    mutating func applyTrade(_ trade: TradeEvent, effects: inout [Effect]) throws {
        try requireMarket(trade.market)
        try requireAccount(trade.buyer, field: "buyer")
        try requireAccount(trade.seller, field: "seller")
        guard trade.buyer != trade.seller else {
            throw EngineError(.invalidField, "seller \(trade.seller) is the same account as the buyer")
        }
        let m = trade.market.index
        let spec = specs[m]
        try requirePositive(trade.size, field: "size")
        try requirePositive(trade.price, field: "price")
        do {
            try trade.size.validate(multipleOf: spec.stepSize, field: "size")
            try trade.price.validate(multipleOf: spec.tickSize, field: "price")
        } catch { throw EngineError(.invalidField, error.message) }
        guard !trade.buyerFeeRate.isNegative, trade.buyerFeeRate < .one else {
            throw EngineError(.invalidField, "buyerFee \(trade.buyerFeeRate) must be in [0, 1)")
        }
        guard !trade.sellerFeeRate.isNegative, trade.sellerFeeRate < .one else {
            throw EngineError(.invalidField, "sellerFee \(trade.sellerFeeRate) must be in [0, 1)")
        }
        guard triggerPrice(trade.market).isPositive else {
            throw EngineError(.invalidState, "market \(spec.symbol) has no trigger price yet (send a mark/index price)")
        }
        // One notional for both sides (half-even: neutral; conservation does not depend on it); in coin for an
        // inverse market (|size| · cv / price).
        let notional = try fillAmount(trade.size, at: trade.price, market: trade.market.index)
        // Fees rounded up: favour the venue.
        let buyerFee = try notional.times(trade.buyerFeeRate, rounding: .up)
        let sellerFee = try notional.times(trade.sellerFeeRate, rounding: .up)
        let b = trade.buyer.index
        let s = trade.seller.index
        let buyerSlot = slot(b, m)
        let sellerSlot = slot(s, m)
        let saved = (
            positions[buyerSlot], positions[sellerSlot], balances[b], balances[s], markets[m], feePool
        )
        let savedCounts = (openPositionCounts[b], openPositionCounts[s])
        do {
            let buyerCash = fillCash(delta: trade.size, amount: notional, market: m)
            try applyFill(account: b, market: m, delta: trade.size, cash: buyerCash)
            try applyFill(account: s, market: m, delta: -trade.size, cash: -buyerCash)
            balances[b] = try balances[b].subtracting(buyerFee)
            balances[s] = try balances[s].subtracting(sellerFee)
            feePool = try feePool.adding(buyerFee).adding(sellerFee)
            try checkAfterTrade(account: b, market: m, before: saved.0, role: "buyer")
            try checkAfterTrade(account: s, market: m, before: saved.1, role: "seller")
            try releaseIsolatedIfFlat(account: b, market: m)
            try releaseIsolatedIfFlat(account: s, market: m)
        } catch {
            positions[buyerSlot] = saved.0
            positions[sellerSlot] = saved.1
            balances[b] = saved.2
            balances[s] = saved.3
            markets[m] = saved.4
            feePool = saved.5
            openPositionCounts[b] = savedCounts.0
            openPositionCounts[s] = savedCounts.1
            throw error
        }
        effects.append(
            Effect(
                kind: .trade,
                account: trade.buyer,
                market: trade.market,
                counterparty: trade.seller,
                size: trade.size,
                price: trade.price,
                amount: notional
            )
        )
        if buyerFee.raw != 0 || sellerFee.raw != 0 {
            effects.append(Effect(kind: .tradeFee, account: trade.buyer, market: trade.market, amount: buyerFee))
            effects.append(Effect(kind: .tradeFee, account: trade.seller, market: trade.market, amount: sellerFee))
        }
    }

    /// Risk-increasing trades must pass initial margin; others must leave equity non-negative. An isolated
    /// position that increases risk draws the missing initial margin from the wallet (free collateral only).
    private mutating func checkAfterTrade(account: Int, market: Int, before: Position, role: String) throws {
        let index = slot(account, market)
        let after = positions[index]
        let increases =
            after.size.magnitude > before.size.magnitude
            || (after.size.raw != 0 && before.size.raw != 0 && (after.size.raw > 0) != (before.size.raw > 0))
        let id = AccountID(UInt32(account))
        // An isolated position the trade closed is checked like one it reduced: its pool's equity (now just the
        // isolated margin, before it is released to the wallet) must not be negative. Otherwise a close at a price
        // past bankruptcy would move the deficit into the wallet of a flat account, a loss nobody covers.
        if after.mode == .isolated && (after.size.raw != 0 || (before.size.raw != 0 && before.mode == .isolated)) {
            let iso = try isolatedMetrics(account, market, initial: increases, requirements: increases)
            if increases {
                let shortfall = iso.initial - iso.equity
                if shortfall > 0 {
                    let amount = Money(raw: try FixedMath.narrow(shortfall, field: "isolated margin"))
                    balances[account] = try balances[account].subtracting(amount)
                    positions[index].isolatedMargin = try positions[index].isolatedMargin.adding(amount)
                }
                let cross = try crossMetrics(account)
                guard balances[account].raw >= 0, cross.equity >= cross.initial else {
                    throw EngineError(
                        .insufficientMargin,
                        "\(role) \(id): isolated initial margin exceeds free collateral"
                    )
                }
            } else {
                let cross = try crossMetrics(account, initial: false, requirements: false)
                guard iso.equity >= 0, cross.equity >= 0 else {
                    throw EngineError(.insufficientMargin, "\(role) \(id): trade would leave negative equity")
                }
            }
            return
        }
        let cross = try crossMetrics(account, initial: increases, requirements: increases)
        if increases {
            guard cross.equity >= cross.initial else {
                throw EngineError(
                    .insufficientMargin,
                    "\(role) \(id): equity \(format(cross.equity)) is below initial margin \(format(cross.initial))"
                )
            }
        } else {
            guard cross.equity >= 0 else {
                throw EngineError(
                    .insufficientMargin,
                    "\(role) \(id): trade would leave negative equity \(format(cross.equity))"
                )
            }
        }
    }
}
