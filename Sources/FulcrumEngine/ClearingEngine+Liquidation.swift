import FulcrumCore

/// The liquidation waterfall: detect, close per procedure through the executor, route the fee, cover the
/// shortfall from the insurance fund, auto-deleverage at the profile's ADL price, socialize or record the rest.
extension ClearingEngine {
    /// Liquidates every account under maintenance with `executor`, emitting one effect per action.
    ///
    /// Order: accounts by ascending id; per account the cross pool first (positions by ascending market id),
    /// then isolated positions. Trigger: pool equity `<` maintenance at the trigger price (mark or oracle).
    /// A pool with negative equity is closed in full; otherwise each position is reduced per the profile's
    /// ``LiquidationProcedure`` (one step per sweep). Then clean-up passes close any pool left with negative
    /// equity (by ADL or socialization) until none is left or ``EngineConfiguration/maxCleanupPasses`` is hit.
    /// The backstop account is never liquidated.
    ///
    /// - Throws: ``EngineError``; the state is restored.
    public mutating func liquidationSweep<Executor: LiquidationExecutor>(
        executor: inout Executor,
        effects: inout [Effect]
    ) throws(EngineError) {
        try apply(.liquidationSweep, executor: &executor, effects: &effects)
    }

    mutating func sweep<Executor: LiquidationExecutor>(executor: inout Executor, effects: inout [Effect]) throws {
        for account in 0..<balances.count {
            _ = try liquidateIfNeeded(account, executor: &executor, effects: &effects, bankruptOnly: false)
        }
        var converged = false
        for _ in 0..<max(configuration.maxCleanupPasses, 1) {
            var acted = false
            for account in 0..<balances.count {
                if try liquidateIfNeeded(account, executor: &executor, effects: &effects, bankruptOnly: true) {
                    acted = true
                }
            }
            if !acted {
                converged = true
                break
            }
        }
        sweepPending = !converged
    }

    /// Liquidates `account`'s pools that need it; returns whether anything was done.
    private mutating func liquidateIfNeeded<Executor: LiquidationExecutor>(
        _ account: Int,
        executor: inout Executor,
        effects: inout [Effect],
        bankruptOnly: Bool
    ) throws -> Bool {
        guard account != configuration.backstopAccount.index else { return false }
        var acted = false
        let count = markets.count
        // Clean-up passes only look for negative equity: no margin requirements needed.
        let cross = try crossMetrics(account, initial: false, requirements: !bankruptOnly)
        if cross.openPositions > 0 {
            let bankrupt = cross.equity < 0
            if bankrupt || (!bankruptOnly && cross.equity < cross.maintenance) {
                acted = true
                var lastMarket = 0
                for market in 0..<count {
                    let position = positions[account * count + market]
                    guard position.size.raw != 0, position.mode == .cross else { continue }
                    let size = bankrupt ? position.size.magnitude : try procedureSize(position, market: market)
                    try liquidatePosition(account, market, close: size, executor: &executor, effects: &effects)
                    lastMarket = market
                }
                let remaining = try crossMetrics(account, initial: false)
                if remaining.openPositions == 0 {
                    try settleDeficit(account, market: lastMarket, isolated: false, effects: &effects)
                }
            }
        } else if balances[account].raw < 0 {
            try settleDeficit(account, market: 0, isolated: false, effects: &effects)
            acted = true
        }
        for market in 0..<count {
            let position = positions[account * count + market]
            guard position.size.raw != 0, position.mode == .isolated else { continue }
            let iso = try isolatedMetrics(account, market, initial: false, requirements: !bankruptOnly)
            let bankrupt = iso.equity < 0
            guard bankrupt || (!bankruptOnly && iso.equity < iso.maintenance) else { continue }
            acted = true
            let size = bankrupt ? position.size.magnitude : try procedureSize(position, market: market)
            try liquidatePosition(account, market, close: size, executor: &executor, effects: &effects)
            if positions[account * count + market].size.raw == 0 {
                try settleDeficit(account, market: market, isolated: true, effects: &effects)
                try releaseIsolatedIfFlat(account: account, market: market)
            }
        }
        return acted
    }

    /// How much of `position` one sweep closes under the profile's ``LiquidationProcedure`` (a magnitude on the
    /// step grid, rounded **up**: favours closing risk; never more than the position).
    func procedureSize(_ position: Position, market: Int) throws -> Quantity {
        let spec = specs[market]
        let size = position.size.magnitude
        let price = triggerPrice(MarketID(UInt32(market)))
        let notional = try size.notional(at: price, rounding: .up)
        let step = spec.stepSize
        func onGrid(_ quantity: Quantity) throws -> Quantity {
            let rounded = try quantity.rounded(toMultipleOf: step, rounding: .up)
            return Quantity.minimum(Quantity.maximum(rounded, step), size)
        }
        switch profiles[market].liquidationProcedure {
        case .full:
            return size
        case .partialSteps(let fraction, let threshold):
            guard notional > threshold else { return size }
            return try onGrid(try size.times(fraction, rounding: .up))
        case .tierStepDown:
            let tiers = spec.tiers
            let tier = tiers.tierIndex(forNotional: notional)
            guard tier > 0 else { return size }
            // Keep the largest size whose notional lies strictly below this tier's floor.
            let floor = tiers.tiers[tier].notionalFloor
            var keep = try floor.quantity(at: price, rounding: .down).rounded(toMultipleOf: step, rounding: .down)
            while keep.isPositive, try keep.notional(at: price, rounding: .up) >= floor { keep -= step }
            return try onGrid(size - Quantity.maximum(keep, .zero))
        case .perSweepLimit(let maxNotional, let minNotional):
            guard notional > maxNotional else { return size }
            let part = try onGrid(try maxNotional.quantity(at: price, rounding: .up))
            let rest = try (size - part).notional(at: price, rounding: .down)
            return rest < minNotional ? size : part
        }
    }

    /// The price at which closing `held` (signed, the part being closed) leaves the pool at zero, with the
    /// rest of the pool valued at the trigger price: `bp = P − E / held`. Long: rounded **up**; short:
    /// rounded **down** (both favour the insurance fund: the account is never closed beyond bankruptcy by
    /// rounding). A long that cannot go bankrupt gets the smallest positive price.
    func bankruptcyPrice(equity: Int128, held: Quantity, trigger: Price) throws -> Price {
        // E/held in price units; rounding toward the side that makes bp conservative.
        let shift = try FixedMath.multiplyDivide(
            equity,
            FixedPointScale.wideFactor,
            held.wide,
            rounding: held.raw > 0 ? .down : .up
        )
        let bp = trigger.wide - shift
        if bp <= 0 { return Price(raw: 1) }
        return Price(raw: try FixedMath.narrow(bp, field: "bankruptcy price"))
    }

    /// Closes `close` (magnitude) of `account`'s position in `market`.
    private mutating func liquidatePosition<Executor: LiquidationExecutor>(
        _ account: Int,
        _ market: Int,
        close: Quantity,
        executor: inout Executor,
        effects: inout [Effect]
    ) throws {
        let index = slot(account, market)
        let position = positions[index]
        guard position.size.raw != 0, close.isPositive else { return }
        let held = position.size.raw > 0 ? close : -close  // the part being closed, signed like the position
        let delta = -held  // the liquidated account's trade
        let trigger = triggerPrice(MarketID(UInt32(market)))
        let pool =
            position.mode == .cross
            ? try crossMetrics(account, initial: false) : try isolatedMetrics(account, market, initial: false)
        let bankruptcy = try bankruptcyPrice(equity: pool.equity, held: held, trigger: trigger)
        let marketID = MarketID(UInt32(market))
        let accountID = AccountID(UInt32(account))
        let order = LiquidationOrder(
            account: accountID,
            market: marketID,
            size: delta,
            triggerPrice: trigger,
            bankruptcyPrice: bankruptcy
        )
        let profile = profiles[market]
        let fundIndex = insuranceFundIndex(for: marketID)
        let socializes = profile.autoDeleveraging.ranking == .socializeProRata
        // The ADL close price per the profile: the bankruptcy price (no residual deficit), or the mark / oracle
        // price (Hyperliquid documents the oracle); a residual deficit then goes through the fund and bad debt.
        let adlPrice: Price
        switch profile.autoDeleveraging.price {
        case .bankruptcy: adlPrice = bankruptcy
        case .mark: adlPrice = markets[market].markPrice
        case .oracle: adlPrice = markets[market].indexPrice
        }
        guard let fill = executor.fill(order) else {
            if !socializes {
                try autoDeleverage(account, market, held: held, price: adlPrice, effects: &effects)
            }
            return
        }
        guard fill.price.isPositive else {
            throw EngineError(.invalidState, "executor fill price \(fill.price) must be positive")
        }
        try requireAccount(fill.counterparty, field: "executor counterparty")
        guard fill.counterparty.index != account else {
            throw EngineError(.invalidState, "executor counterparty \(fill.counterparty) is the liquidated account")
        }
        // Projected pool equity after the fill and the fee (rest of the pool valued at the trigger price).
        let gain = try FixedMath.multiplyDivide(
            held.wide,
            fill.price.wide - trigger.wide,
            FixedPointScale.wideFactor,
            rounding: .down
        )
        let notional = try close.notional(at: fill.price, rounding: .halfEven)
        var fee = try notional.times(profile.liquidationFee.rate, rounding: .up)  // favours the recipient/venue
        let beforeFee = pool.equity + gain
        if profile.liquidationFee.cappedAtRemainingMargin {
            let room = max(beforeFee, 0)
            if fee.wide > room { fee = Money(raw: Int64(room)) }  // room < fee ≤ Int64.max
        }
        let projected = beforeFee - fee.wide
        // What the fund can absorb: its balance, plus this fee when the fee is paid into it.
        let capacity =
            insuranceFunds[fundIndex].wide + (profile.liquidationFee.recipient == .insuranceFund ? fee.wide : 0)
        if projected < 0 && -projected > capacity && !socializes {
            // The fund cannot absorb this fill: deleverage at the bankruptcy price instead (no fee).
            try autoDeleverage(account, market, held: held, price: adlPrice, effects: &effects)
            return
        }
        let cash = delta.raw > 0 ? -notional : notional
        let counterparty = fill.counterparty.index
        try applyFill(account: account, market: market, delta: delta, cash: cash)
        try applyFill(account: counterparty, market: market, delta: held, cash: -cash)
        try releaseIsolatedIfFlat(account: counterparty, market: market)
        effects.append(
            Effect(
                kind: .liquidationFill,
                account: accountID,
                market: marketID,
                counterparty: fill.counterparty,
                size: delta,
                price: fill.price,
                amount: notional
            )
        )
        guard fee.raw != 0 else { return }
        if positions[index].mode == .cross {
            balances[account] = try balances[account].subtracting(fee)
        } else {
            positions[index].isolatedMargin = try positions[index].isolatedMargin.subtracting(fee)
        }
        var insuranceDelta = Money.zero
        switch profile.liquidationFee.recipient {
        case .insuranceFund:
            insuranceFunds[fundIndex] = try insuranceFunds[fundIndex].adding(fee)
            insuranceDelta = fee
        case .liquidator:
            balances[counterparty] = try balances[counterparty].adding(fee)
        case .feePool:
            feePool = try feePool.adding(fee)
        }
        effects.append(
            Effect(
                kind: .liquidationFee,
                account: accountID,
                market: marketID,
                counterparty: fill.counterparty,
                amount: fee,
                insuranceDelta: insuranceDelta
            )
        )
    }

    /// Covers a negative margin pool (the wallet, or an isolated position that was closed): insurance fund
    /// first, then socialization pro rata (profiles with ``AutoDeleveragingRule/Ranking/socializeProRata``),
    /// else bad debt.
    private mutating func settleDeficit(_ account: Int, market: Int, isolated: Bool, effects: inout [Effect]) throws {
        let index = slot(account, market)
        let value = isolated ? positions[index].isolatedMargin : balances[account]
        guard value.raw < 0 else { return }
        let deficit = -value
        let accountID = AccountID(UInt32(account))
        let marketID = markets.isEmpty ? nil : MarketID(UInt32(market))
        let fundIndex = marketID.map { insuranceFundIndex(for: $0) } ?? 0
        let cover = Money.minimum(deficit, insuranceFunds[fundIndex])
        var rest = deficit - cover
        if cover.isPositive {
            insuranceFunds[fundIndex] -= cover  // bounded: cover ≤ fund
            effects.append(
                Effect(
                    kind: .insuranceCover,
                    account: accountID,
                    market: marketID,
                    amount: cover,
                    insuranceDelta: -cover
                )
            )
        }
        if rest.isPositive, marketID != nil, profiles[market].autoDeleveraging.ranking == .socializeProRata {
            if try socialize(rest, market: market, excluding: account, effects: &effects) {
                socializedLoss += rest
                rest = .zero
            }
        }
        if rest.isPositive {
            badDebt += rest
            effects.append(Effect(kind: .badDebt, account: accountID, market: marketID, amount: rest))
        }
        // The pool is made whole: IF cover + socialized charges + recorded bad debt == deficit.
        if isolated { positions[index].isolatedMargin = .zero } else { balances[account] = .zero }
    }

    /// Charges `loss` to every other open position in `market` pro rata to |size| (Drift-style socialization),
    /// each share rounded **up** (favours solvency); the excess over `loss` goes to the fee pool.
    /// Returns `false` when there is no one to charge.
    private mutating func socialize(_ loss: Money, market: Int, excluding: Int, effects: inout [Effect]) throws -> Bool
    {
        let count = markets.count
        var total: Int128 = 0
        for account in 0..<balances.count where account != excluding {
            total += positions[account * count + market].size.magnitude.wide
        }
        guard total > 0 else { return false }
        var charged: Int128 = 0
        for account in 0..<balances.count where account != excluding {
            let index = account * count + market
            let size = positions[index].size.magnitude
            guard size.raw != 0 else { continue }
            let share = Money(
                raw: try FixedMath.narrow(
                    try FixedMath.multiplyDivide(loss.wide, size.wide, total, rounding: .up),
                    field: "socialized share"
                )
            )
            if positions[index].mode == .cross {
                balances[account] = try balances[account].subtracting(share)
            } else {
                positions[index].isolatedMargin = try positions[index].isolatedMargin.subtracting(share)
            }
            charged += share.wide
            effects.append(
                Effect(
                    kind: .socializedLoss,
                    account: AccountID(UInt32(account)),
                    market: MarketID(UInt32(market)),
                    counterparty: AccountID(UInt32(excluding)),
                    amount: share
                )
            )
        }
        let excess = charged - loss.wide
        feePool = try feePool.adding(Money(raw: try FixedMath.narrow(excess, field: "socialization excess")))
        sweepPending = true
        return true
    }
}
