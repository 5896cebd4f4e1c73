import FulcrumCore

/// The sweep's trigger as a query, the per-position terms the liquidation index bounds, and the batch maintenance
/// check over contiguous storage.
extension ClearingEngine {
    /// Whether the first pass of a liquidation sweep would act on `account` at the current trigger prices: its cross
    /// pool has an open position and equity `<` maintenance (or negative equity), or it has no open cross position
    /// and a negative wallet (a deficit to settle), or one of its isolated positions has equity `<` maintenance.
    /// The backstop account is never under maintenance. This is the predicate of the sweep, evaluated with the same
    /// functions (value rounded **down**, maintenance rounded **up**: both favour the venue).
    ///
    /// - Throws: ``EngineError`` for an unknown account or an overflow (the sweep would throw too).
    public func isUnderMaintenance(_ account: AccountID) throws(EngineError) -> Bool {
        do {
            try requireAccount(account)
            return try underMaintenance(account.index)
        } catch { throw Self.engineError(error, context: "maintenance check of account \(account)") }
    }

    /// ``isUnderMaintenance(_:)`` without the id check.
    func underMaintenance(_ account: Int) throws -> Bool {
        guard account != configuration.backstopAccount.index else { return false }
        guard openPositionCounts[account] != 0 || balances[account].raw < 0 else { return false }
        let cross = try crossMetrics(account, initial: false)
        if cross.openPositions > 0 {
            if cross.equity < 0 || cross.equity < cross.maintenance { return true }
        } else if balances[account].raw < 0 {
            return true
        }
        let count = markets.count
        for market in 0..<count {
            let position = positions[account * count + market]
            guard position.size.raw != 0, position.mode == .isolated else { continue }
            let pool = try isolatedMetrics(account, market, initial: false)
            if pool.equity < 0 || pool.equity < pool.maintenance { return true }
        }
        return false
    }

    /// The contribution of one open position to its pool's `equity − maintenance` at `price`:
    /// `value(size, price)` rounded **down** `− cost − maintenance(size, price)` rounded **up** (the sweep's own
    /// figures), as 128-bit raw money. A pool's `equity − maintenance` is its collateral plus the sum of these terms.
    func positionTerm(_ position: Position, market: Int, price: Price) throws -> Int128 {
        // Borrowed through buffer pointers: no copy of the profile or the tier table per evaluation.
        try profiles.withUnsafeBufferPointer { profiles in
            try specs.withUnsafeBufferPointer { specs in
                try Self.positionTerm(
                    position,
                    price: price,
                    contractValue: inverseContractValues[market],
                    profile: profiles[market],
                    spec: specs[market]
                )
            }
        }
    }

    /// ``positionTerm(_:market:price:)`` from the market's pieces (also ``PositionTermEvaluator``'s arithmetic).
    @inline(__always)
    static func positionTerm(
        _ position: Position,
        price: Price,
        contractValue: Int64,
        profile: VenueProfile,
        spec: MarketSpec
    ) throws -> Int128 {
        let value = try value(position.size, at: price, contractValue: contractValue, rounding: .down)
        let maintenance = try profile.maintenanceMargin(size: position.size, price: price, market: spec)
        return value - position.cost.wide - maintenance.wide
    }

    /// How far ``positionTerm(_:market:price:)`` can fall when the price moves in the position's favourable
    /// direction (up for a long, down for a short), or `nil` when no such bound holds (the position is then always
    /// re-checked).
    ///
    /// With `h(N)` the maintenance of notional `N` without rounding (continuous, slope ρ < 1 per unit of notional),
    /// the engine's maintenance lies in `[h(N), h(N) + 1 + t)` (one unit for the rounding up, one per tier boundary
    /// for the deductions the tier table truncates; dYdX rounds twice), and the notional and the value differ from the
    /// exact product by less than one unit. Hence the term never falls by more than `3 + t` units in the favourable
    /// direction, plus, for an inverse short, `2 · 10⁸ / P` (the notional is rounded twice, once in quote) provided
    /// `(1 − ρ) · u ≥ 2ρ` for the quote value `u`. The returned `base` is `t + 5` (two units of slack); the caller
    /// adds ``inverseShortSlack(price:)`` for an inverse short. A linear long and an inverse short need ρ < 1 (else
    /// the term does not rise with the favourable move); a linear short and an inverse long are monotone for any ρ.
    func termDropBound(_ position: Position, market: Int) -> (base: Int128, inverseShort: Bool)? {
        let scale = FixedPointScale.wideFactor
        let rate: Int128
        let boundaries: Int128
        switch profiles[market].marginModel(for: specs[market]) {
        case .tiered, .hyperliquid:
            let table = specs[market].tiers
            rate = table.steepestMaintenanceRate.wide  // rates do not decrease: the last tier's (size tiers too)
            boundaries = Int128(table.bound == .baseQuantity ? table.sizeTiers.count : table.tiers.count)
        case .dydx(let imfPpm, let mmfPpm, _, _):
            guard imfPpm >= 0, mmfPpm >= 0, imfPpm <= 1_000_000, mmfPpm <= 1_000_000 else { return nil }
            // (imf · 100) · (mmf · 100) / 10⁸ rounded up: the product rate, never understated.
            rate = (Int128(imfPpm) * 100 * Int128(mmfPpm) * 100 + scale - 1) / scale
            boundaries = 1
        case .drift(_, let maintenanceBps, let imfFactor):
            guard
                let ratio = try? DriftMargin.marginRatio(
                    baseBps: maintenanceBps,
                    imfFactor: imfFactor,
                    size: position.size
                )
            else { return nil }
            rate = ratio.wide
            boundaries = 1
        }
        guard rate >= 0 else { return nil }
        let long = position.size.raw > 0
        let contractValue = inverseContractValues[market]
        let inverse = contractValue != 0
        if long != inverse {
            // Linear long or inverse short: the value rises with the favourable move only if ρ < 1.
            guard rate < scale else { return nil }
        }
        if inverse && !long {
            // u = ⌊|size| · cv / 10⁸⌋ ≤ the exact quote value; (10⁸ − ρ) · u ≥ 2ρ is then sufficient.
            let quote = position.size.magnitude.wide * Int128(contractValue) / scale  // < 2¹²⁶ / 10⁸
            let (product, overflow) = (scale - rate).multipliedReportingOverflow(by: quote)
            guard overflow || product >= 2 * rate else { return nil }
        }
        return (boundaries + 5, inverse && !long)
    }

    /// The extra slack `⌈2 · 10⁸ / P⌉` of an inverse short's drop bound at `price` (see ``termDropBound(_:market:)``).
    @inline(__always)
    static func inverseShortSlack(price: Int64) -> Int128 {
        let twice = 2 * FixedPointScale.wideFactor
        let p = Int128(max(price, 1))
        return (twice + p - 1) / p
    }

    /// Checks the cross pool of every account in `accounts` (indices) for maintenance: `result[i]` is whether
    /// account `accounts.lowerBound + i` has an open cross position and cross equity `<` maintenance at the trigger
    /// prices, exactly as ``crossMargin(of:)`` (`equity < maintenance`) decides. Returns how many are short.
    ///
    /// This form prepares a ``MaintenanceBatch`` per call (a few small allocations); loops should keep one and call
    /// ``maintenanceShortfalls(accounts:using:into:)``.
    ///
    /// - Throws: as ``maintenanceShortfalls(accounts:using:into:)``.
    @discardableResult
    public func maintenanceShortfalls(accounts: Range<Int>, into result: inout [Bool]) throws(EngineError) -> Int {
        try maintenanceShortfalls(accounts: accounts, using: MaintenanceBatch(engine: self), into: &result)
    }

    /// The batch maintenance check with prepared constants (see ``maintenanceShortfalls(accounts:into:)``):
    /// maintenance only (no initial margin), allocation-free. Per-market figures are hoisted into `batch`. Each
    /// account is first decided by an exact bound without division
    /// (``MaintenanceBatch/boundedCrossShortfall(balance:positions:markets:tiers:)``: a few 128-bit
    /// multiplications per position on tiered and Hyperliquid markets); an account within `3n` raw units of the
    /// boundary (`n` open cross positions) or on a dYdX market then takes the per-position fast path, where each
    /// linear position costs a few 64-bit multiplications and divisions by the constant 10⁸ (value
    /// `⌊size · P / 10⁸⌋` rounded **down**, notional `⌈|size| · P / 10⁸⌉` and `⌈N · rate / 10⁸⌉ − deduction`
    /// rounded **up**: the engine's roundings, both favouring the venue). Inverse and Drift markets and any figure
    /// beyond 63 bits use the engine's exact functions for that account. Disjoint ranges may run on different
    /// threads on the same engine value; the result does not depend on the split.
    ///
    /// - Throws: ``EngineError`` when `accounts` is out of range, `result.count != accounts.count`, `batch` was
    ///   prepared at other markets or trigger prices, or an exact evaluation overflows (as ``crossMargin(of:)``).
    @discardableResult
    public func maintenanceShortfalls(
        accounts: Range<Int>,
        using batch: MaintenanceBatch,
        into result: inout [Bool]
    ) throws(EngineError) -> Int {
        guard accounts.lowerBound >= 0, accounts.upperBound <= balances.count else {
            throw EngineError(.unknownAccount, "accounts \(accounts) is outside 0..<\(balances.count)")
        }
        guard result.count == accounts.count else {
            throw EngineError(.invalidField, "result count \(result.count) differs from accounts \(accounts.count)")
        }
        guard batch.isPrepared(for: self) else {
            throw EngineError(.invalidState, "batch was prepared at other markets or trigger prices: prepare it again")
        }
        do {
            return try result.withUnsafeMutableBufferPointer { output in
                try shortfalls(accounts, kernel: batch, into: output)
            }
        } catch { throw Self.engineError(error, context: "maintenance batch") }
    }

    /// The batch loop (see ``maintenanceShortfalls(accounts:into:)``).
    ///
    /// The account loop is specialised for one to four markets: with the market count a constant, the bound's loop
    /// over the account's positions is unrolled and its accumulators stay in registers. Same figures; at three
    /// markets `fulcrum bench --workload cross-check` went from 3.6–5.1 to 5.7–5.9 × 10⁷ accounts/s on one core.
    private func shortfalls(
        _ accounts: Range<Int>,
        kernel: MaintenanceBatch,
        into output: UnsafeMutableBufferPointer<Bool>
    ) throws -> Int {
        let count = markets.count
        return try positions.withUnsafeBufferPointer { positions in
            try balances.withUnsafeBufferPointer { balances in
                try openPositionCounts.withUnsafeBufferPointer { openCounts in
                    try kernel.markets.withUnsafeBufferPointer { markets in
                        try kernel.boundTiers.withUnsafeBufferPointer { boundTiers in
                            let storage = BatchStorage(
                                positions: positions,
                                balances: balances,
                                openCounts: openCounts,
                                markets: markets,
                                boundTiers: boundTiers
                            )
                            switch count {
                            case 1: return try shortfalls(accounts, markets: 1, storage, kernel, output)
                            case 2: return try shortfalls(accounts, markets: 2, storage, kernel, output)
                            case 3: return try shortfalls(accounts, markets: 3, storage, kernel, output)
                            case 4: return try shortfalls(accounts, markets: 4, storage, kernel, output)
                            default: return try shortfalls(accounts, markets: count, storage, kernel, output)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The engine's and the batch's storage, borrowed for one batch call.
    private struct BatchStorage {
        let positions: UnsafeBufferPointer<Position>
        let balances: UnsafeBufferPointer<Money>
        let openCounts: UnsafeBufferPointer<Int32>
        let markets: UnsafeBufferPointer<MaintenanceBatch.Market>
        let boundTiers: UnsafeBufferPointer<MaintenanceBatch.BoundTier>
    }

    /// The account loop for `count` markets (inlined into each case of the dispatch, where `count` is a constant).
    @inline(__always)
    private func shortfalls(
        _ accounts: Range<Int>,
        markets count: Int,
        _ storage: BatchStorage,
        _ kernel: MaintenanceBatch,
        _ output: UnsafeMutableBufferPointer<Bool>
    ) throws -> Int {
        var short = 0
        for account in accounts {
            var shortfall = false
            if storage.openCounts[account] != 0 {
                let base = account * count
                let pool = UnsafeBufferPointer(rebasing: storage.positions[base..<(base + count)])
                if let bounded = MaintenanceBatch.boundedCrossShortfall(
                    balance: storage.balances[account].raw,
                    positions: pool,
                    markets: storage.markets,
                    tiers: storage.boundTiers
                ) {
                    shortfall = bounded
                } else {
                    shortfall = try exactShortfall(account, pool: pool, kernel: kernel)
                }
            }
            output[account - accounts.lowerBound] = shortfall
            short &+= shortfall ? 1 : 0
        }
        return short
    }

    /// The check of an account the bound could not decide (within its band of `3n` raw units, or holding a
    /// position on a dYdX, inverse or Drift market): the per-position fast path, else the engine's exact functions.
    /// Kept out of line so that the bound's loop stays small.
    @inline(never)
    private func exactShortfall(
        _ account: Int,
        pool: UnsafeBufferPointer<Position>,
        kernel: MaintenanceBatch
    )
        throws -> Bool
    {
        let fast = kernel.markets.withUnsafeBufferPointer { markets in
            kernel.floors.withUnsafeBufferPointer { floors in
                kernel.rates.withUnsafeBufferPointer { rates in
                    kernel.deductions.withUnsafeBufferPointer { deductions in
                        Self.fastCrossShortfall(
                            balance: balances[account].raw,
                            positions: pool,
                            markets: markets,
                            floors: floors,
                            rates: rates,
                            deductions: deductions
                        )
                    }
                }
            }
        }
        if let fast { return fast }
        let metrics = try crossMetrics(account, initial: false)
        return metrics.openPositions > 0 && metrics.equity < metrics.maintenance
    }

    /// One account's cross check on the fast path, or `nil` when a position needs the exact path.
    @inline(__always)
    private static func fastCrossShortfall(
        balance: Int64,
        positions: UnsafeBufferPointer<Position>,
        markets: UnsafeBufferPointer<MaintenanceBatch.Market>,
        floors: UnsafeBufferPointer<UInt64>,
        rates: UnsafeBufferPointer<UInt64>,
        deductions: UnsafeBufferPointer<Int64>
    ) -> Bool? {
        var equity = Int128(balance)
        var maintenance: Int128 = 0
        var open = false
        for market in 0..<positions.count {
            let position = positions[market]
            let size = position.size.raw
            guard size != 0, position.mode == .cross else { continue }
            open = true
            let constants = markets[market]
            guard constants.model != .exact,
                let (floor, ceiling) = MaintenanceBatch.notional(size.magnitude, constants)
            else { return nil }
            // value = ⌊size · P / 10⁸⌋: the floor for a long, minus the ceiling for a short (rounded down).
            let value = size > 0 ? Int64(floor) : -Int64(ceiling)
            equity += Int128(value) - Int128(position.cost.raw)
            switch constants.model {
            case .tiered:
                var tier = constants.tierStart
                while tier + 1 < constants.tierEnd && floors[tier + 1] <= ceiling { tier += 1 }
                guard let gross = MaintenanceBatch.timesRateUp(ceiling, rates[tier]) else { return nil }
                maintenance += Int128(Int64(gross) - deductions[tier])
            case .dydx:
                guard let initial = MaintenanceBatch.timesRateUp(ceiling, constants.rateA),
                    let mm = MaintenanceBatch.timesRateUp(initial, constants.rateB)
                else { return nil }
                maintenance += Int128(mm)
            case .exact:
                return nil
            }
        }
        return open && equity < maintenance
    }
}
