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
        var unused = TargetedClearingLists()  // empty: no allocation
        sweepPending = !(try clear(everyAccount: true, lists: &unused, executor: &executor, effects: &effects))
    }

    /// The clearing shared by the sweep (`everyAccount`; `lists` unused) and the targeted
    /// ``liquidate(accounts:executor:effects:)`` (`lists.scope`: ascending, distinct account indices): a main pass, then
    /// clean-up passes for negative equity until one acts on nothing or ``EngineConfiguration/maxCleanupPasses`` is
    /// hit. Every account is cleared by the same per-account function (`liquidateIfNeeded`).
    ///
    /// A targeted pass visits, in ascending id order, the listed accounts and every account the call itself reaches
    /// (an account or counterparty of an effect it emitted: the executor's counterparty, ADL'd holders, a liquidator
    /// paid a fee; and for a market-wide socialized-loss effect every other holder of its market): one reached above
    /// the account being cleared is visited later in the same pass, exactly where the sweep would visit it; one
    /// reached below is visited by the next passes.
    /// Accounts neither listed nor reached are not visited: if they were healthy when the call started they are
    /// still healthy (prices do not change during a call), and the sweep's visit would do nothing. So listing
    /// every account under maintenance gives exactly the sweep's state and effects.
    ///
    /// - Returns: whether the clean-up passes converged.
    mutating func clear<Executor: LiquidationExecutor>(
        everyAccount: Bool,
        lists: inout TargetedClearingLists,
        executor: inout Executor,
        effects: inout [Effect]
    ) throws -> Bool {
        let passes = max(configuration.maxCleanupPasses, 1)
        // The reused buffers move out of `self` for the call (and back, emptied by the next call's reset), so they
        // stay uniquely referenced: no copy-on-write.
        var queues = AutoDeleveragingQueues()
        swap(&queues, &clearingScratch)
        defer { swap(&queues, &clearingScratch) }
        queues.reset(effects: effects.count, markets: markets.count)
        guard !everyAccount else {
            _ = try sweepPass(bankruptOnly: false, queues: &queues, executor: &executor, effects: &effects)
            for _ in 0..<passes {
                if !(try sweepPass(bankruptOnly: true, queues: &queues, executor: &executor, effects: &effects)) {
                    return true
                }
            }
            return false
        }
        _ = try targetedPass(
            &lists,
            bankruptOnly: false,
            queues: &queues,
            executor: &executor,
            effects: &effects
        )
        for _ in 0..<passes {
            let acted = try targetedPass(
                &lists,
                bankruptOnly: true,
                queues: &queues,
                executor: &executor,
                effects: &effects
            )
            if !acted { return true }
        }
        return false
    }

    /// One sweep pass over every account in ascending order; returns whether it acted.
    private mutating func sweepPass<Executor: LiquidationExecutor>(
        bankruptOnly: Bool,
        queues: inout AutoDeleveragingQueues,
        executor: inout Executor,
        effects: inout [Effect]
    ) throws -> Bool {
        var acted = false
        // Accounts with no open position and a non-negative wallet have nothing to liquidate: skipped without
        // reading their positions (the result is identical to visiting them).
        for account in 0..<balances.count where openPositionCounts[account] != 0 || balances[account].raw < 0 {
            if try liquidateIfNeeded(
                account,
                queues: &queues,
                executor: &executor,
                effects: &effects,
                bankruptOnly: bankruptOnly
            ) {
                acted = true
            }
        }
        return acted
    }

    /// One targeted pass (see ``clear(everyAccount:lists:executor:effects:)``) over `lists.scope` (ascending, distinct) merged
    /// with the accounts reached above the one being cleared (`lists.above`, smallest first); on return `lists.scope` also
    /// holds every account the pass reached. `above` and `reached` are reused buffers. Returns whether it acted.
    private mutating func targetedPass<Executor: LiquidationExecutor>(
        _ lists: inout TargetedClearingLists,
        bankruptOnly: Bool,
        queues: inout AutoDeleveragingQueues,
        executor: inout Executor,
        effects: inout [Effect]
    ) throws -> Bool {
        var acted = false
        lists.above.removeAll()
        lists.reached.removeAll()
        for index in lists.socialized.indices { lists.socialized[index].from = 0 }
        var next = 0
        var last = -1
        var holder = -1  // the next holder of a socialized market above `last` (Int.max: none); -1: not yet scanned
        while true {
            if !lists.socialized.isEmpty && holder <= last { holder = nextSocializedHolder(after: last, lists) }
            let listed = next < lists.scope.count ? lists.scope[next] : Int.max
            let reachedAbove = lists.above.minimum
            let socializedHolder = lists.socialized.isEmpty ? Int.max : holder
            let account: Int
            if listed != Int.max && listed <= reachedAbove && listed <= socializedHolder {
                account = listed
                next += 1
            } else if reachedAbove != Int.max && reachedAbove <= socializedHolder {
                account = lists.above.popMinimum()
            } else if socializedHolder != Int.max {
                account = socializedHolder
            } else {
                break
            }
            guard account > last else { continue }
            last = account
            guard openPositionCounts[account] != 0 || balances[account].raw < 0 else { continue }
            let first = effects.count
            if try liquidateIfNeeded(
                account,
                queues: &queues,
                executor: &executor,
                effects: &effects,
                bankruptOnly: bankruptOnly
            ) {
                acted = true
            }
            for index in first..<effects.count {
                let effect = effects[index]
                if let other = effect.account?.index, other != account {
                    lists.reached.insert(other)
                    if other > last { lists.above.insert(other) }
                }
                if let other = effect.counterparty?.index, other != account {
                    lists.reached.insert(other)
                    if other > last { lists.above.insert(other) }
                }
                // A socialized loss (one market-wide effect) charged every other holder of its market: they are
                // visited above `account` in this pass and from the start in later ones, found by a scan.
                if effect.kind == .socializedLoss, let market = effect.market?.index,
                    !lists.socialized.contains(where: { $0.market == market })
                {
                    lists.socialized.append((market, account + 1))
                    holder = -1
                }
            }
        }
        if !lists.reached.isEmpty {
            // The next scope: the (ascending, distinct) scope merged with the reached accounts, handed out ascending.
            lists.merged.removeAll(keepingCapacity: true)
            var i = 0
            while i < lists.scope.count || !lists.reached.isEmpty {
                let value: Int
                if i < lists.scope.count && lists.scope[i] <= lists.reached.minimum {
                    value = lists.scope[i]
                    i += 1
                } else {
                    value = lists.reached.popMinimum()
                }
                if lists.merged.last != value { lists.merged.append(value) }
            }
            swap(&lists.scope, &lists.merged)
        }
        return acted
    }

    /// The smallest account id above `last` holding an open position in one of `lists.socialized`'s markets, from
    /// that market's `from` on; `Int.max` when there is none. O(accounts − last) at worst.
    private func nextSocializedHolder(after last: Int, _ lists: TargetedClearingLists) -> Int {
        let count = markets.count
        var account = last + 1
        while account < balances.count {
            for entry in lists.socialized
            where account >= entry.from && positions[account * count + entry.market].size.raw != 0 {
                return account
            }
            account += 1
        }
        return Int.max
    }

    /// Liquidates `account`'s pools that need it; returns whether anything was done. The one per-account clearing
    /// step of both the sweep and the targeted call.
    private mutating func liquidateIfNeeded<Executor: LiquidationExecutor>(
        _ account: Int,
        queues: inout AutoDeleveragingQueues,
        executor: inout Executor,
        effects: inout [Effect],
        bankruptOnly: Bool
    ) throws -> Bool {
        guard account != configuration.backstopAccount.index else { return false }
        var acted = false
        var allowance = LiquidationAllowance()  // per-sweep limits (dYdX blocks): one per account per pass
        let count = markets.count
        // Clean-up passes only look for negative equity: no margin requirements needed.
        let cross = try crossMetrics(account, initial: false, requirements: !bankruptOnly)
        if cross.openPositions > 0 {
            let bankrupt = cross.equity < 0
            if bankrupt || (!bankruptOnly && cross.equity < cross.maintenance) {
                acted = true
                let takeover = bankrupt ? nil : try crossBackstopRule(account)
                let takesOver = takeover?.applies(equity: cross.equity, maintenance: cross.maintenance) ?? false
                if takesOver { try backstopTakeover(account, isolatedMarket: nil, effects: &effects) }
                var lastMarket = 0
                let blockChoice = bankrupt || takesOver ? nil : blockLimitedPositionToLiquidate(account)
                for market in 0..<count where !takesOver {
                    let position = positions[account * count + market]
                    guard position.size.raw != 0, position.mode == .cross else { continue }
                    if let blockChoice, market != blockChoice, isBlockLimited(market) { continue }
                    try closeUnderProcedure(
                        account,
                        market,
                        position,
                        bankrupt: bankrupt,
                        allowance: &allowance,
                        queues: &queues,
                        executor: &executor,
                        effects: &effects
                    )
                    lastMarket = market
                }
                let remaining = try crossMetrics(account, initial: false)
                if remaining.openPositions == 0 && !takesOver {
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
            if !bankrupt, let takeover = backstopRules[market],
                takeover.applies(equity: iso.equity, maintenance: iso.maintenance)
            {
                try backstopTakeover(account, isolatedMarket: market, effects: &effects)
                continue
            }
            try closeUnderProcedure(
                account,
                market,
                position,
                bankrupt: bankrupt,
                allowance: &allowance,
                queues: &queues,
                executor: &executor,
                effects: &effects
            )
            if positions[account * count + market].size.raw == 0 {
                try settleDeficit(account, market: market, isolated: true, effects: &effects)
                try releaseIsolatedIfFlat(account: account, market: market)
            }
        }
        return acted
    }

    /// Whether `market`'s procedure is per-block limits (dYdX v4's), where one sweep is one block.
    func isBlockLimited(_ market: Int) -> Bool {
        if case .blockLimits = profiles[market].liquidationProcedure { return true }
        return false
    }

    /// The one cross position of `account` in a per-block-limited market (dYdX v4) that this sweep liquidates, or
    /// `nil` when the account holds none.
    ///
    /// dYdX liquidates one perpetual per subaccount per block (`GetPerpetualPositionToLiquidate`,
    /// `dydxprotocol/v4-chain protocol/x/clob/keeper/liquidations.go`): the subaccount's positions in perpetual-id
    /// order, starting at a pseudo-random offset drawn from the block. One sweep is one block here; the offset is
    /// drawn from the engine's seed, its event count and the account (SplitMix64), so the same log always picks the
    /// same position, and the sweep and the targeted call (which share the event count) agree. A pool with negative
    /// equity is still closed in full by the engine (dYdX deleverages such subaccounts in the same block).
    func blockLimitedPositionToLiquidate(_ account: Int) -> Int? {
        let count = markets.count
        var held = 0
        for market in 0..<count where isBlockLimited(market) {
            let position = positions[account * count + market]
            if position.size.raw != 0 && position.mode == .cross { held += 1 }
        }
        guard held > 0 else { return nil }
        let draw = Self.splitMix(configuration.seed ^ eventCount ^ Self.splitMix(UInt64(account)))
        var offset = Int(draw % UInt64(held))
        for market in 0..<count where isBlockLimited(market) {
            let position = positions[account * count + market]
            guard position.size.raw != 0 && position.mode == .cross else { continue }
            if offset == 0 { return market }
            offset -= 1
        }
        return nil
    }

    /// Closes `position` (of a pool under maintenance): all of it when the pool is `bankrupt`, otherwise what the
    /// profile's procedure allows this sweep (``procedureSize(_:market:allowance:)``).
    private mutating func closeUnderProcedure<Executor: LiquidationExecutor>(
        _ account: Int,
        _ market: Int,
        _ position: Position,
        bankrupt: Bool,
        allowance: inout LiquidationAllowance,
        queues: inout AutoDeleveragingQueues,
        executor: inout Executor,
        effects: inout [Effect]
    ) throws {
        let size =
            bankrupt ? position.size.magnitude : try procedureSize(position, market: market, allowance: allowance)
        try liquidatePosition(
            account,
            market,
            close: size,
            allowance: &allowance,
            queues: &queues,
            executor: &executor,
            effects: &effects
        )
    }

    /// How much of `position` one sweep closes under the profile's ``LiquidationProcedure`` (a magnitude on the
    /// step grid, rounded **up**: favours closing risk; never more than the position). Block limits round the
    /// allowed notional **down** to the step instead (the limit is a cap), but close at least one step, and close
    /// nothing once the account's per-sweep notional is used up.
    func procedureSize(
        _ position: Position,
        market: Int,
        allowance: LiquidationAllowance = LiquidationAllowance()
    ) throws -> Quantity {
        let spec = specs[market]
        let size = position.size.magnitude
        let price = triggerPrice(MarketID(UInt32(market)))
        let notional = try self.notional(size, at: price, market: market, rounding: .up)
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
            if tiers.bound == .baseQuantity {
                // Size-bounded tiers are OKX's position tiers, and OKX's rule: a position in tier 1 or 2 is
                // liquidated in full; from tier 3 it is reduced to the next lower tier ("V. Forced Partial or Full
                // Liquidation", https://supdljgzdhc.okx.com/hc/en-us/articles/360020411711): keep the largest size
                // on the step grid within the next-lower tier's cap.
                let tier = tiers.tierIndex(forSize: size, notional: notional)
                guard tier >= 2, let cap = tiers.sizeTiers[tier - 1].sizeCap else { return size }
                let keep = try cap.rounded(toMultipleOf: step, rounding: .down)
                return try onGrid(size - Quantity.minimum(keep, size))
            }
            let tier = tiers.tierIndex(forNotional: notional)
            guard tier > 0 else { return size }
            // Keep the largest size whose notional lies strictly below this tier's floor.
            let floor = tiers.tiers[tier].notionalFloor
            var keep = try quantity(forNotional: floor, at: price, market: market, rounding: .down)
                .rounded(toMultipleOf: step, rounding: .down)
            while keep.isPositive, try self.notional(keep, at: price, market: market, rounding: .up) >= floor {
                keep -= step
            }
            return try onGrid(size - Quantity.maximum(keep, .zero))
        case .perSweepLimit(let maxNotional, let minNotional):
            guard notional > maxNotional else { return size }
            let part = try onGrid(try quantity(forNotional: maxNotional, at: price, market: market, rounding: .up))
            let rest = try self.notional(size - part, at: price, market: market, rounding: .down)
            return rest < minNotional ? size : part
        case .blockLimits(let portion, let minimum, let perAccount, _):
            // dYdX: max(min(minimum, |N|), |N|·portion) per position, within what is left of the account's budget.
            let left = perAccount.raw > allowance.notionalUsed.raw ? perAccount - allowance.notionalUsed : .zero
            guard left.isPositive else { return .zero }
            let share = try notional.times(portion, rounding: .down)  // the venue's floor: the cap is not exceeded
            let limit = Money.minimum(Money.maximum(Money.minimum(minimum, notional), share), left)
            guard notional > limit else { return size }
            let part = try quantity(forNotional: limit, at: price, market: market, rounding: .down)
                .rounded(toMultipleOf: step, rounding: .down)
            return Quantity.minimum(Quantity.maximum(part, step), size)
        }
    }

    /// The part of the pool's equity that a close of `held` (signed, the part being closed) of `position` carries:
    /// dYdX v4's `TNC · |DMMR| / TMMR` (`GetBankruptcyPriceInQuoteQuantums`,
    /// `dydxprotocol/v4-chain protocol/x/clob/keeper/liquidations.go`), where `DMMR` is the change of the position's
    /// maintenance requirement when `held` is closed and `TMMR` the pool's total maintenance, both at the trigger
    /// price. Closing the slice at the bankruptcy price computed from this share leaves the rest of the pool with the
    /// same equity-to-maintenance ratio, so a partial close (a Binance tier step-down, Hyperliquid's 20 % step,
    /// dYdX's per-block portion) is not charged the whole pool's equity. dYdX is the only venue that publishes the
    /// split; the engine applies it to every venue's partial closes. A close of the pool's only position in full
    /// carries the whole equity (`DMMR = TMMR`), as does any close when `TMMR` is zero.
    ///
    /// Rounding: floor, toward −∞ (as dYdX's Euclidean `Div`): the share is never overstated, so the bankruptcy
    /// price is never beyond the exact one (favours the insurance fund).
    func bankruptcyEquityShare(pool: PoolMetrics, position: Position, held: Quantity, market: Int) throws -> Int128 {
        if pool.openPositions <= 1 && held == position.size { return pool.equity }
        guard pool.maintenance > 0 else { return pool.equity }
        let price = triggerPrice(MarketID(UInt32(market)))
        let before = try requirements(position, market: market, initial: false).0
        let after = try profiles[market].maintenanceMargin(
            size: position.size - held,
            price: price,
            market: specs[market]
        )
        // A smaller position never needs more maintenance; a tier table that did would make DMMR negative (dYdX
        // panics there): no share of the equity is assigned then.
        let released = max(before - after.wide, 0)
        guard released < pool.maintenance else { return pool.equity }
        return try FixedMath.multiplyDivide(pool.equity, released, pool.maintenance, rounding: .down)
    }

    /// The price at which closing `held` (signed, the part being closed) leaves the pool at zero, with the
    /// rest of the pool valued at the trigger price. Linear: `bp = P − E / held`. Inverse (closing at `x` changes
    /// equity by `held · cv · (1/P − 1/x)`): `bp = P · held · cv / (held · cv + E · P)`, and when that denominator
    /// does not share the sign of `held` no finite price reaches zero (the largest price is returned). Long:
    /// rounded **up**; short: rounded **down** (both favour the insurance fund: the account is never closed
    /// beyond bankruptcy by rounding). A long that cannot go bankrupt gets the smallest positive price.
    func bankruptcyPrice(equity: Int128, held: Quantity, trigger: Price, market: Int) throws -> Price {
        let contractValue = inverseContractValues[market]
        if contractValue != 0 {
            let exposure = held.wide * Int128(contractValue)  // |held| < 2⁶³, cv < 2⁶³: fits in 127 bits
            let (denominator, overflow) = exposure.addingReportingOverflow(
                try FixedMath.multiplyDivide(equity, trigger.wide, 1, rounding: .down)
            )
            guard !overflow else { throw ArithmeticError(.overflow, "bankruptcy price: 128-bit sum overflows") }
            guard denominator != 0, (denominator > 0) == (held.raw > 0) else { return Price(raw: Int64.max) }
            let bp = try FixedMath.multiplyDivide(
                trigger.wide,
                exposure,
                denominator,
                rounding: held.raw > 0 ? .up : .down
            )
            if bp <= 0 { return Price(raw: 1) }
            return Price(raw: bp > Int128(Int64.max) ? Int64.max : Int64(bp))
        }
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

    /// Closes `close` (magnitude) of `account`'s position in `market`, within the account's per-sweep `allowance`.
    private mutating func liquidatePosition<Executor: LiquidationExecutor>(
        _ account: Int,
        _ market: Int,
        close: Quantity,
        allowance: inout LiquidationAllowance,
        queues: inout AutoDeleveragingQueues,
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
        let share = try bankruptcyEquityShare(pool: pool, position: position, held: held, market: market)
        let bankruptcy = try bankruptcyPrice(equity: share, held: held, trigger: trigger, market: market)
        let marketID = MarketID(UInt32(market))
        let accountID = AccountID(UInt32(account))
        let dydx = dydxLiquidations[market]
        let limit =
            dydx ? try dydxFillablePrice(position, market: market, held: held, trigger: trigger, pool: pool) : nil
        let order = LiquidationOrder(
            account: accountID,
            market: marketID,
            size: delta,
            triggerPrice: trigger,
            bankruptcyPrice: bankruptcy,
            limitPrice: limit
        )
        // The profile's rules this close reads, copied out field by field: a copy of the whole profile costs a
        // memmove and reference counting on every liquidation.
        let adlRule = profiles[market].autoDeleveraging
        let feeRule = profiles[market].liquidationFee
        let procedure = profiles[market].liquidationProcedure
        let fundIndex = insuranceFundIndex(for: marketID)
        let socializes = adlRule.ranking == .socializeProRata
        // The ADL close price per the profile: the bankruptcy price (no residual deficit), or the mark / oracle
        // price (Hyperliquid documents the oracle); a residual deficit then goes through the fund and bad debt.
        let adlPrice: Price
        switch adlRule.price {
        case .bankruptcy: adlPrice = bankruptcy
        case .mark: adlPrice = markets[market].markPrice
        case .oracle: adlPrice = markets[market].indexPrice
        }
        // A fill beyond the limit counts as no fill (immediate-or-cancel at the fillable price).
        let offered = executor.fill(order)
        let withinLimit = offered.map { fill in
            guard let limit else { return true }
            return held.raw > 0 ? fill.price >= limit : fill.price <= limit
        }
        guard let fill = offered, withinLimit == true else {
            // Venues with a backstop takeover (Hyperliquid) deleverage only negative equity; a solvent pool the
            // book did not fill waits for the next sweep (and the takeover once below its threshold).
            let waitsForBackstop = backstopRules[market] != nil && pool.equity >= 0
            if !socializes && !waitsForBackstop {
                try autoDeleverage(account, market, held: held, price: adlPrice, queues: &queues, effects: &effects)
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
        let gain: Int128
        if isInverse(market) {
            // value(held, fill) − value(held, trigger), the first rounded down and the second up: never overstated.
            gain =
                try value(held, at: fill.price, market: market, rounding: .down)
                - value(held, at: trigger, market: market, rounding: .up)
        } else {
            gain = try FixedMath.multiplyDivide(
                held.wide,
                fill.price.wide - trigger.wide,
                FixedPointScale.wideFactor,
                rounding: .down
            )
        }
        let notional = try fillAmount(close, at: fill.price, market: market)
        var fee: Money
        if dydx {
            // dYdX: the insurance-fund delta s·(fill value − bankruptcy value), capped at |fill value| × the fee
            // rate (DydxLiquidation.insuranceFundDelta); a negative delta is a loss the deficit path covers.
            let bankruptcyValue = try fillAmount(close, at: bankruptcy, market: market)
            let delta = try DydxLiquidation.insuranceFundDelta(
                side: held.raw > 0 ? .long : .short,
                closedSize: close,
                fillPrice: fill.price,
                bankruptcyValue: bankruptcyValue,
                maxLiquidationFeePpm: min(max(feeRule.rate.raw / 100, 0), 1_000_000)  // 10⁻⁸ → ppm
            )
            fee = Money.maximum(delta, .zero)
        } else {
            fee = try notional.times(feeRule.rate, rounding: .up)  // favours the recipient/venue
        }
        let beforeFee = pool.equity + gain
        if feeRule.takesRemainingMargin {
            // BitMEX: the liquidation engine took the position over at the bankruptcy price, so everything left
            // above bankruptcy after the close goes to the recipient (the insurance fund); a close beyond
            // bankruptcy leaves a deficit the fund covers (settleDeficit). Either way the fund's change is
            // (fill − bankruptcy)·held. This projection decides the checks below; the amount taken is the pool's
            // actual equity after the fill (set once the fill is applied).
            fee = Money(raw: try FixedMath.narrow(max(beforeFee, 0), field: "remaining margin"))
        }
        if feeRule.cappedAtRemainingMargin {
            let room = max(beforeFee, 0)
            if fee.wide > room { fee = Money(raw: Int64(room)) }  // room < fee ≤ Int64.max
        }
        let projected = beforeFee - fee.wide
        // What the fund can absorb: its balance, plus this fee when the fee is paid into it.
        let capacity =
            insuranceFunds[fundIndex].wide + (feeRule.recipient == .insuranceFund ? fee.wide : 0)
        if projected < 0 && -projected > capacity && !socializes {
            // The fund cannot absorb this fill: deleverage at the bankruptcy price instead (no fee).
            try autoDeleverage(account, market, held: held, price: adlPrice, queues: &queues, effects: &effects)
            return
        }
        if case .blockLimits(_, _, _, let maxLoss) = procedure {
            // dYdX: a fill that would take the account's insurance-fund loss this block past the cap is invalid; the
            // account is deleveraged only when its equity is already negative, otherwise it waits for the next sweep.
            let loss = max(-projected, 0)
            guard allowance.insuranceLossUsed.wide + loss <= maxLoss.wide else {
                if pool.equity < 0 {
                    try autoDeleverage(account, market, held: held, price: adlPrice, queues: &queues, effects: &effects)
                }
                return
            }
            allowance.insuranceLossUsed = Money(
                raw: try FixedMath.narrow(allowance.insuranceLossUsed.wide + loss, field: "insurance loss used")
            )
            let closed = try self.notional(close, at: trigger, market: market, rounding: .up)
            allowance.notionalUsed = try allowance.notionalUsed.adding(closed)
        }
        let cash = fillCash(delta: delta, amount: notional, market: market)
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
        if feeRule.takesRemainingMargin {
            let after =
                positions[index].mode == .cross
                ? try crossMetrics(account, initial: false).equity
                : try isolatedMetrics(account, market, initial: false).equity
            fee = Money(raw: try FixedMath.narrow(max(after, 0), field: "remaining margin"))
        }
        guard fee.raw != 0 else { return }
        if positions[index].mode == .cross {
            willWrite(balance: account)
            balances[account] = try balances[account].subtracting(fee)
        } else {
            willWrite(position: index)
            positions[index].isolatedMargin = try positions[index].isolatedMargin.subtracting(fee)
        }
        var insuranceDelta = Money.zero
        switch feeRule.recipient {
        case .insuranceFund:
            willWrite(insuranceFund: fundIndex)
            insuranceFunds[fundIndex] = try insuranceFunds[fundIndex].adding(fee)
            insuranceDelta = fee
        case .liquidator:
            willWrite(balance: counterparty)
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

    /// dYdX's fillable price for closing `held` of `position` (the whole position's size and maintenance, the pool's
    /// equity as TNC and maintenance as TMMR, the oracle = trigger price), or `nil` when the pool has no maintenance.
    private func dydxFillablePrice(
        _ position: Position,
        market: Int,
        held: Quantity,
        trigger: Price,
        pool: PoolMetrics
    ) throws -> Price? {
        guard pool.maintenance > 0 else { return nil }
        let (positionMaintenance, _) = try requirements(position, market: market, initial: false)
        return try DydxLiquidation.fillablePrice(
            side: held.raw > 0 ? .long : .short,
            size: position.size.magnitude,
            oraclePrice: trigger,
            positionMaintenance: Money(raw: try FixedMath.narrow(positionMaintenance, field: "position maintenance")),
            totalNetCollateral: Money(raw: try FixedMath.narrow(pool.equity, field: "total net collateral")),
            totalMaintenance: Money(raw: try FixedMath.narrow(pool.maintenance, field: "total maintenance"))
        )
    }

    /// Covers a negative margin pool (the wallet, or an isolated position that was closed): insurance fund
    /// first, then socialization pro rata (profiles with ``AutoDeleveragingRule/Ranking/socializeProRata``),
    /// else bad debt.
    mutating func settleDeficit(_ account: Int, market: Int, isolated: Bool, effects: inout [Effect]) throws {
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
            willWrite(insuranceFund: fundIndex)
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
        if isolated {
            willWrite(position: index)
            positions[index].isolatedMargin = .zero
        } else {
            willWrite(balance: account)
            balances[account] = .zero
        }
    }

    /// Socializes `loss` through the market's cumulative funding rates, Drift's
    /// `calculate_funding_rate_deltas_to_resolve_bankruptcy` (`controller/liquidation.rs`, `resolve_perp_bankruptcy`):
    /// `Δ = ⌈|loss|·1e9 / (|L| + |S|)⌉·1000` in FUNDING_RATE_PRECISION, i.e. the loss per unit of base rounded **up**
    /// to the program's PRICE_PRECISION 10⁻⁶ (favours solvency: the payers never cover less than the loss). The long
    /// rate rises by Δ and the short rate falls by Δ, so every open position of the market (both sides, all accounts
    /// but `excluding`) pays `⌈Δ·|size|⌉` at 10⁻⁸ (rounded **up**: the payers, not the fee pool, carry the rounding),
    /// settled at once into its margin pool like a funding payment. The market's
    /// ``MarketState/socializedLossIndex`` records the cumulative Δ; the residue `Σ payments − loss ≥ 0` goes to the
    /// fee pool with a `fundingDust` effect, so the total is conserved to the unit.
    ///
    /// Like a funding payment it emits **one** market-wide ``Effect/Kind/socializedLoss`` effect (`account` nil,
    /// `counterparty` the bankrupt account, `price` Δ, `amount` Σ payments), not one per paying position: a spiral of
    /// bankruptcies inside one clearing call then costs O(bankruptcies) effects, and each position's charge follows
    /// from Δ and its size. O(accounts) time per call, one pass: the open interest comes from the market's
    /// `longOpenInterest + shortOpenInterest` (equal to `Σ|size|`, an invariant the engine checks) minus the bankrupt
    /// position. Returns `false` when there is no one to charge.
    private mutating func socialize(_ loss: Money, market: Int, excluding: Int, effects: inout [Effect]) throws -> Bool
    {
        let state = markets[market]
        let total =
            state.longOpenInterest.wide + state.shortOpenInterest.wide
            - positions[excluding * markets.count + market].size.magnitude.wide
        guard total > 0 else { return false }
        // Δ at 10⁻⁸, rounded up, then up to Drift's 10⁻⁶ grid (100 raw units).
        let perUnit = try FixedMath.multiplyDivide(loss.wide, FixedPointScale.wideFactor, total, rounding: .up)
        let grid = Int128(Self.driftSocializedLossGrid)
        let delta = Price(raw: try FixedMath.narrow((perUnit + grid - 1) / grid * grid, field: "socialized loss rate"))
        let newIndex = try state.socializedLossIndex.adding(delta)
        let charge = SocializedCharge(
            rate: delta.raw.magnitude,
            market: market,
            marketCount: markets.count,
            excluding: excluding
        )
        let charged = try chargeSocializedLoss(charge, delta: delta)
        guard let residue = Int64(exactly: charged - loss.wide), let amount = Int64(exactly: charged),
            let newFeePool = try? feePool.adding(Money(raw: residue))
        else {
            charge.refund(below: balances.count, balances: &balances, positions: &positions)
            throw EngineError(.overflow, "socialized charges of \(charged) raw units overflow 64 bits")
        }
        willWrite(market: market)
        markets[market].socializedLossIndex = newIndex
        effects.append(
            Effect(
                kind: .socializedLoss,
                market: MarketID(UInt32(market)),
                counterparty: AccountID(UInt32(excluding)),
                price: delta,
                amount: Money(raw: amount)
            )
        )
        if residue != 0 {
            feePool = newFeePool
            effects.append(Effect(kind: .fundingDust, market: MarketID(UInt32(market)), amount: Money(raw: residue)))
        }
        sweepPending = true
        return true
    }

    /// Applies `charge` (Δ = `delta` per unit) to every open position of its market but the bankrupt account's and
    /// returns the sum of the charges.
    ///
    /// One pass (preceded, inside a journaled sweep, by one that journals the pools it may write); a pool that would
    /// overflow stops it, and the positions already charged are refunded exactly, so a throw leaves every pool as it
    /// was (a targeted call is not journaled). O(accounts).
    private mutating func chargeSocializedLoss(_ charge: SocializedCharge, delta: Price) throws -> Int128 {
        if journal.isRecording {
            // Journal every pool the pass may write before it writes any (a pool left unchanged is restored to the
            // same value); the pass itself is then the unjournaled one.
            for account in 0..<balances.count where account != charge.excluding {
                let index = account * charge.marketCount + charge.market
                guard positions[index].size.raw != 0 else { continue }
                if positions[index].mode == .cross { willWrite(balance: account) } else { willWrite(position: index) }
            }
        }
        let (charged, stoppedAt) = charge.apply(balances: &balances, positions: &positions)
        guard let stoppedAt else { return charged }
        charge.refund(below: stoppedAt, balances: &balances, positions: &positions)
        throw EngineError(
            .overflow,
            "socialized share at \(delta) per unit overflows the margin pool of account \(stoppedAt)"
        )
    }

    /// `⌈rate·size / 10⁸⌉` (rounded **up**, against the payer), both magnitudes at 10⁻⁸; the product is formed in
    /// 64 bits when it fits (the common case) and in 128 otherwise. The scale is the literal 10⁸
    /// (``FixedPointScale/factor``, checked by a test) so the division compiles to a multiplication.
    @inline(__always)
    static func socializedShare(rate: UInt64, size: UInt64) throws -> Int64 {
        let scale: UInt64 = 100_000_000
        let (product, overflow) = rate.multipliedReportingOverflow(by: size)
        if !overflow {
            let (quotient, remainder) = product.quotientAndRemainder(dividingBy: scale)
            if let share = Int64(exactly: quotient + (remainder != 0 ? 1 : 0)) { return share }
        }
        return try FixedMath.narrow(
            try FixedMath.multiplyDivide(Int128(rate), Int128(size), Int128(scale), rounding: .up),
            field: "socialized share"
        )
    }

    /// Drift's PRICE_PRECISION (10⁻⁶) in raw 10⁻⁸ units: the grid the socialized loss per unit of base is rounded
    /// up to (`Δ·1000` in FUNDING_RATE_PRECISION 10⁻⁹).
    static let driftSocializedLossGrid: Int64 = 100
}
