import FulcrumCore

/// Event dispatch and the simple events (listing, collateral, prices, settings).
extension ClearingEngine {
    /// Applies one event, appending what happened to `effects`.
    ///
    /// Validation happens before any change (funding computes and checks every payment before writing one);
    /// liquidation sweeps journal every write (``ClearingJournal``) and are rolled back when they fail, so a rejected
    /// event never changes state and appends no effects.
    ///
    /// - Throws: ``EngineError`` naming the field and value.
    public mutating func apply(_ event: EngineEvent, effects: inout [Effect]) throws(EngineError) {
        var executor = BackstopExecutor(account: configuration.backstopAccount)
        try apply(event, executor: &executor, effects: &effects)
    }

    /// Applies one event; sweeps use `executor` to fill liquidation orders.
    ///
    /// - Throws: ``EngineError`` naming the field and value; state and `effects` are then unchanged.
    public mutating func apply<Executor: LiquidationExecutor>(
        _ event: EngineEvent,
        executor: inout Executor,
        effects: inout [Effect]
    ) throws(EngineError) {
        let effectCount = effects.count
        do {
            try dispatch(event, executor: &executor, effects: &effects)
        } catch let error as EngineError {
            effects.removeSubrange(effectCount...)
            throw error
        } catch let error as ArithmeticError {
            effects.removeSubrange(effectCount...)
            throw EngineError(error, context: "event")
        } catch {
            effects.removeSubrange(effectCount...)
            throw EngineError(.invalidState, "\(error)")
        }
        eventCount &+= 1
    }

    /// Applies one event and returns its effects.
    ///
    /// - Throws: ``EngineError``; state unchanged.
    @discardableResult
    public mutating func apply(_ event: EngineEvent) throws(EngineError) -> [Effect] {
        var effects: [Effect] = []
        try apply(event, effects: &effects)
        return effects
    }

    private mutating func dispatch<Executor: LiquidationExecutor>(
        _ event: EngineEvent,
        executor: inout Executor,
        effects: inout [Effect]
    ) throws {
        switch event {
        case .listMarket(let listing):
            try listMarket(listing, effects: &effects)
        case .deposit(let account, let amount):
            try deposit(account, amount, effects: &effects)
        case .withdraw(let account, let amount):
            try withdraw(account, amount, effects: &effects)
        case .trade(let trade):
            try applyTrade(trade, effects: &effects)
        case .indexPrice(let market, let price):
            try requireMarket(market)
            try requirePositive(price, field: "price")
            markets[market.index].indexPrice = price
            sweepPending = true
            effects.append(Effect(kind: .indexPrice, market: market, price: price))
        case .markPrice(let market, let price):
            try requireMarket(market)
            try requirePositive(price, field: "price")
            markets[market.index].markPrice = price
            sweepPending = true
            effects.append(Effect(kind: .markPrice, market: market, price: price))
        case .funding(let market, let inputs):
            // Validates every payment before writing any (no snapshot: nothing to copy in steady state).
            try applyFunding(market, inputs, effects: &effects)
        case .setLeverage(let account, let market, let leverage):
            try setLeverage(account, market, leverage, effects: &effects)
        case .setMarginMode(let account, let market, let mode):
            try setMarginMode(account, market, mode, effects: &effects)
        case .adjustIsolatedMargin(let account, let market, let amount):
            try adjustIsolatedMargin(account, market, amount, effects: &effects)
        case .liquidationSweep:
            _ = try withJournal { (engine: inout ClearingEngine) throws -> Bool in
                try engine.sweep(executor: &executor, effects: &effects)
                return true
            }
        case .insuranceDeposit(let market, let amount):
            try requirePositive(amount, field: "amount")
            var index = 0
            if let market {
                try requireMarket(market)
                index = insuranceFundIndex(for: market)
            }
            insuranceFunds[index] = try insuranceFunds[index].adding(amount)
            totalDeposits += amount
            effects.append(Effect(kind: .insuranceDeposit, market: market, amount: amount, insuranceDelta: amount))
        case .insuranceWithdrawal(let market, let amount):
            try requirePositive(amount, field: "amount")
            var index = 0
            if let market {
                try requireMarket(market)
                index = insuranceFundIndex(for: market)
            }
            let fund = insuranceFunds[index]
            guard fund >= amount else {
                throw EngineError(
                    .insufficientMargin,
                    "amount \(amount) exceeds the insurance fund \(fund)"
                        + (market.map { " of market \($0)" } ?? " (shared)")
                )
            }
            insuranceFunds[index] = fund - amount  // bounded: fund ≥ amount > 0
            totalWithdrawals += amount
            effects.append(
                Effect(kind: .insuranceWithdrawal, market: market, amount: amount, insuranceDelta: -amount)
            )
        }
    }

    // MARK: validation helpers

    func requireMarket(_ market: MarketID) throws {
        guard market.index < markets.count else {
            throw EngineError(.unknownMarket, "market \(market) does not exist (\(markets.count) listed)")
        }
    }

    func requireAccount(_ account: AccountID, field: String = "account") throws {
        guard account.index < balances.count else {
            throw EngineError(.unknownAccount, "\(field) \(account) does not exist (\(balances.count) accounts)")
        }
    }

    func requirePositive<T: FixedPointNumber>(_ value: T, field: String) throws {
        guard value.isPositive else { throw EngineError(.invalidField, "\(field) \(value) must be positive") }
    }

    // MARK: simple events

    private mutating func listMarket(_ listing: MarketListing, effects: inout [Effect]) throws {
        let spec = listing.spec
        guard !spec.symbol.isEmpty else { throw EngineError(.invalidField, "symbol \"\" must not be empty") }
        guard symbolIndex[spec.symbol] == nil else {
            throw EngineError(.duplicateMarket, "symbol \(spec.symbol) is already listed")
        }
        if spec.kind == .inverse {
            guard spec.contractValue.isPositive else {
                throw EngineError(
                    .invalidField,
                    "contractValue \(spec.contractValue) of \(spec.symbol) must be positive"
                )
            }
        }
        try requirePositive(spec.tickSize, field: "tick")
        try requirePositive(spec.stepSize, field: "step")
        guard markets.count < Int(UInt32.max) else { throw EngineError(.invalidState, "too many markets") }
        let id = MarketID(UInt32(markets.count))
        let oldCount = markets.count
        let twenty = Leverage(raw: 20 * FixedPointScale.factor)
        let defaultLeverage = Leverage.minimum(twenty, spec.tiers.tiers[0].maxLeverage)
        // Re-layout positions account-major with the new stride (listing is rare).
        var relaid: [Position] = []
        relaid.reserveCapacity(balances.count * (oldCount + 1))
        for account in 0..<balances.count {
            relaid.append(contentsOf: positions[(account * oldCount)..<((account + 1) * oldCount)])
            relaid.append(Position(leverage: defaultLeverage))
        }
        positions = relaid
        markets.append(MarketState())
        specs.append(spec)
        profiles.append(listing.profile)
        markTriggered.append(listing.profile.liquidationTrigger == .markPrice)
        inverseContractValues.append(spec.kind == .inverse ? spec.contractValue.raw : 0)
        backstopRules.append(listing.profile.backstopTakeover)
        dydxLiquidations.append(listing.profile.id == .dydx)
        defaultLeverages.append(defaultLeverage)
        insuranceFunds.append(.zero)
        symbolIndex[spec.symbol] = id
        effects.append(Effect(kind: .listing, market: id))
    }

    private mutating func deposit(_ account: AccountID, _ amount: Money, effects: inout [Effect]) throws {
        try requirePositive(amount, field: "amount")
        if account.index == balances.count {
            guard balances.count < Int(UInt32.max) else { throw EngineError(.invalidState, "too many accounts") }
            _ = openAccount()
        } else {
            try requireAccount(account)
        }
        guard let updated = try? balances[account.index].adding(amount) else {
            throw EngineError(.overflow, "amount \(amount) overflows the balance of account \(account)")
        }
        balances[account.index] = updated
        totalDeposits += amount
        effects.append(Effect(kind: .deposit, account: account, amount: amount))
    }

    private mutating func withdraw(_ account: AccountID, _ amount: Money, effects: inout [Effect]) throws {
        try requirePositive(amount, field: "amount")
        try requireAccount(account)
        let balance = balances[account.index]
        guard balance >= amount else {
            throw EngineError(
                .insufficientMargin,
                "amount \(amount) exceeds the wallet balance \(balance) of account \(account)"
            )
        }
        balances[account.index] = balance - amount  // bounded: balance ≥ amount > 0
        let cross: PoolMetrics
        do { cross = try crossMetrics(account.index) } catch {
            balances[account.index] = balance  // a rejected event leaves the state unchanged
            throw error
        }
        if cross.openPositions > 0 && cross.equity < cross.initial {
            balances[account.index] = balance
            throw EngineError(
                .insufficientMargin,
                "amount \(amount) exceeds the free collateral of account \(account) "
                    + "(equity \(format(cross.equity + Int128(amount.raw))), initial margin \(format(cross.initial)))"
            )
        }
        totalWithdrawals += amount
        effects.append(Effect(kind: .withdrawal, account: account, amount: amount))
    }

    private mutating func setLeverage(
        _ account: AccountID,
        _ market: MarketID,
        _ leverage: Leverage,
        effects: inout [Effect]
    ) throws {
        try requireAccount(account)
        try requireMarket(market)
        try requirePositive(leverage, field: "leverage")
        let maximum = specs[market.index].tiers.tiers[0].maxLeverage
        guard leverage <= maximum else {
            throw EngineError(.invalidField, "leverage \(leverage) exceeds the market's maximum \(maximum)")
        }
        let index = slot(account.index, market.index)
        let saved = positions[index]
        positions[index].leverage = leverage
        if saved.isOpen {
            let ok: Bool
            do {
                if saved.mode == .cross {
                    let cross = try crossMetrics(account.index)
                    ok = cross.equity >= cross.initial
                } else {
                    let iso = try isolatedMetrics(account.index, market.index)
                    ok = iso.equity >= iso.initial
                }
            } catch {
                positions[index] = saved  // a rejected event leaves the state unchanged
                throw error
            }
            guard ok else {
                positions[index] = saved
                throw EngineError(
                    .insufficientMargin,
                    "leverage \(leverage) needs more initial margin than account \(account) holds"
                )
            }
        }
        effects.append(Effect(kind: .leverage, account: account, market: market))
    }

    private mutating func setMarginMode(
        _ account: AccountID,
        _ market: MarketID,
        _ mode: MarginMode,
        effects: inout [Effect]
    ) throws {
        try requireAccount(account)
        try requireMarket(market)
        let index = slot(account.index, market.index)
        guard !positions[index].isOpen, positions[index].isolatedMargin.isZero else {
            throw EngineError(
                .invalidState,
                "mode \(mode.rawValue): account \(account) has an open position in market \(market)"
            )
        }
        positions[index].mode = mode
        effects.append(Effect(kind: .marginMode, account: account, market: market))
    }

    private mutating func adjustIsolatedMargin(
        _ account: AccountID,
        _ market: MarketID,
        _ amount: Money,
        effects: inout [Effect]
    ) throws {
        try requireAccount(account)
        try requireMarket(market)
        guard !amount.isZero else { throw EngineError(.invalidField, "amount 0 must not be zero") }
        guard amount.raw != Int64.min else { throw EngineError(.invalidField, "amount \(amount) is out of range") }
        let index = slot(account.index, market.index)
        let position = positions[index]
        guard position.mode == .isolated, position.isOpen else {
            throw EngineError(.invalidState, "account \(account) has no open isolated position in market \(market)")
        }
        let savedBalance = balances[account.index]
        if amount.isPositive {
            guard savedBalance >= amount else {
                throw EngineError(.insufficientMargin, "amount \(amount) exceeds the wallet balance \(savedBalance)")
            }
            guard let margin = try? position.isolatedMargin.adding(amount) else {
                throw EngineError(.overflow, "amount \(amount) overflows the isolated margin")
            }
            balances[account.index] = savedBalance - amount  // bounded: balance ≥ amount
            positions[index].isolatedMargin = margin
            let cross: PoolMetrics
            do { cross = try crossMetrics(account.index) } catch {
                balances[account.index] = savedBalance  // a rejected event leaves the state unchanged
                positions[index] = position
                throw error
            }
            if cross.openPositions > 0 && cross.equity < cross.initial {
                balances[account.index] = savedBalance
                positions[index] = position
                throw EngineError(.insufficientMargin, "amount \(amount) exceeds the free cross collateral")
            }
        } else {
            let removal = -amount
            guard position.isolatedMargin >= removal else {
                throw EngineError(
                    .insufficientMargin,
                    "amount \(amount) exceeds the isolated margin \(position.isolatedMargin)"
                )
            }
            positions[index].isolatedMargin = position.isolatedMargin - removal  // bounded above
            let iso: PoolMetrics
            do { iso = try isolatedMetrics(account.index, market.index) } catch {
                positions[index] = position  // a rejected event leaves the state unchanged
                throw error
            }
            guard iso.equity >= iso.initial, let balance = try? savedBalance.adding(removal) else {
                positions[index] = position
                throw EngineError(
                    .insufficientMargin,
                    "amount \(amount) would leave the isolated position below initial margin"
                )
            }
            balances[account.index] = balance
        }
        effects.append(Effect(kind: .isolatedMarginTransfer, account: account, market: market, amount: amount))
    }

    /// Formats a 128-bit raw money value.
    func format(_ raw: Int128) -> String { MoneySum(raw: raw).description }
}
