import FulcrumCore
import FulcrumLending

/// One step of a lending market: unwinds by looping borrowers, then keepers liquidating what is profitable.
extension LendingMarketState {
    /// What `units` of seized collateral turn into for the keeper: base of the traded asset to sell on the shared
    /// liquidity and quote cash. Traded collateral is sold as is; fixed-price and insurance-fund shares are redeemed
    /// at the oracle price (rounded down, against the keeper); LP shares are burned against the LP pool (only when
    /// `burn`; otherwise quoted); yield-bearing tokens are redeemed at the exchange rate (rounded down).
    func redemption(
        _ units: Int64,
        lpPool: inout LendingLPPool?,
        yieldRate: Int64,
        burn: Bool
    ) throws(LabError) -> (base: Int64, quote: Int64) {
        guard units > 0 else { return (0, 0) }
        switch config.collateral {
        case .traded: return (units, 0)
        case .fixed, .insuranceShare:
            return (0, Int64(Int128(units) * Int128(collateralPrice) / 100_000_000))
        case .ammLP:
            guard var pool = lpPool else { throw LabError("lending market \(config.name): no LP pool") }
            guard burn else { return pool.quoteBurn(units) }
            let out = try pool.burn(units)
            lpPool = pool
            return out
        case .yieldBearing(let token):
            let underlying = Int64(Int128(units) * Int128(yieldRate) / 100_000_000)
            return token.underlyingIsTraded ? (underlying, 0) : (0, underlying)
        }
    }

    /// What a keeper pays, receives and nets for one liquidation size (raw quote units; a decision estimate).
    private func estimatedProfit(
        debtUnits d: Int64,
        liquidity: inout LiquidityState,
        lpPool: LendingLPPool?,
        yieldRate: Int64,
        mid: Price,
        gas: Money
    ) throws(LabError) -> Double {
        let pc = Double(collateralPrice)
        let pd = Double(debtPrice)
        let bonus = 1 + Double(config.liquidationBonus.raw) / 1e8
        let seized = Double(d) * pd * bonus / pc
        var cost = Double(d) * pd / 1e8
        if config.debt == .traded {
            let fill = try liquidity.trade(Quantity(raw: d), mid: mid, isSell: false, commit: false)
            guard fill.quantity.raw == d else { return -.infinity }
            cost = Double(fill.notional.raw)
        }
        var quoted = lpPool
        let out = try redemption(Int64(seized.rounded(.down)), lpPool: &quoted, yieldRate: yieldRate, burn: false)
        var revenue = Double(out.quote)
        if out.base > 0 {
            revenue += Double(
                try liquidity.trade(Quantity(raw: out.base), mid: mid, isSell: true, commit: false).notional.raw
            )
        }
        return revenue - cost - Double(gas.raw)
    }

    /// Runs one step at the pool's current prices: unwinds, then liquidations (largest debt first) while `budget`
    /// lasts. Keepers trade on `liquidity` (committed when `commit`); `shares` attributes any bad debt to causes.
    mutating func step(
        budget: inout Int,
        layer: LendingLayerConfig,
        liquidity: inout LiquidityState,
        lpPool: inout LendingLPPool?,
        yieldRate: Int64,
        mid: Price,
        commit: Bool,
        shares: [ContagionCause: Double],
        bankrupt: inout Set<String>
    ) throws(LabError) {
        try unwind(liquidity: &liquidity, mid: mid, commit: commit)
        var candidates: [(index: Int, debt: Int128)] = []
        for (k, id) in borrowers.enumerated() where !bankrupt.contains(id) {
            guard let hf = try healthFactor(id), hf < AavePool.liquidationThreshold else { continue }
            candidates.append((k, try balance(id, debt: true)))
        }
        candidates.sort { $0.debt != $1.debt ? $0.debt > $1.debt : $0.index < $1.index }
        let threshold = Double(layer.minimumProfit.raw)  // profits are after gas
        for candidate in candidates {
            guard budget > 0 else {
                metrics.deferredByBudget += 1
                continue
            }
            let id = borrowers[candidate.index]
            var full = pool
            guard
                let cap = try? full.liquidate(
                    liquidator: Self.keeper,
                    user: id,
                    collateralAsset: Self.collateralAsset,
                    debtAsset: Self.debtAsset,
                    debtToCover: AavePool.maxDebtToCover
                )
            else { continue }
            // The keeper picks the most profitable size among the cap, cap/2, …, cap/512 (slippage makes big
            // liquidations on thin liquidity unprofitable).
            var best: (units: Int64, profit: Double) = (0, -.infinity)
            var units = Int64(cap.debtRepaid)
            for _ in 0..<10 where units > 0 {
                let p = try estimatedProfit(
                    debtUnits: units,
                    liquidity: &liquidity,
                    lpPool: lpPool,
                    yieldRate: yieldRate,
                    mid: mid,
                    gas: layer.gasCost
                )
                if p > best.profit { best = (units, p) }
                units /= 2
            }
            guard best.profit >= threshold, best.units > 0 else {
                metrics.skippedUnprofitable += 1
                continue
            }
            var chosen = full
            var result = cap
            if best.units != Int64(cap.debtRepaid) {
                var partial = pool
                if let r = try? partial.liquidate(
                    liquidator: Self.keeper,
                    user: id,
                    collateralAsset: Self.collateralAsset,
                    debtAsset: Self.debtAsset,
                    debtToCover: UInt128(best.units)
                ) {
                    chosen = partial
                    result = r
                }
            }
            pool = chosen
            budget -= 1
            try record(
                result,
                id: id,
                layer: layer,
                liquidity: &liquidity,
                lpPool: &lpPool,
                yieldRate: yieldRate,
                mid: mid,
                commit: commit
            )
            try recordBadDebt(result, id: id, shares: shares, bankrupt: &bankrupt)
        }
    }

    /// Books one executed liquidation: metrics, and the keeper's trades on the shared liquidity.
    private mutating func record(
        _ result: AaveLiquidationResult,
        id: String,
        layer: LendingLayerConfig,
        liquidity: inout LiquidityState,
        lpPool: inout LendingLPPool?,
        yieldRate: Int64,
        mid: Price,
        commit: Bool
    ) throws(LabError) {
        let seized = Int64(result.collateralToLiquidator)
        let fee = Int64(result.protocolFee)
        let repaid = Int64(result.debtRepaid)
        metrics.liquidations += 1
        metrics.collateralSeizedUnits += Int128(seized) + Int128(fee)
        protocolFeeUnits += Int128(fee)
        metrics.debtRepaidUnits += Int128(repaid)
        do {
            // Values at the oracle: half-even (statistics); keeper cash legs round against the keeper.
            metrics.collateralSeized += try Quantity(raw: seized + fee).notional(
                at: Price(raw: collateralPrice),
                rounding: .halfEven
            )
            var cost = try Quantity(raw: repaid).notional(at: Price(raw: debtPrice), rounding: .up)
            // Derived collateral is redeemed (LP shares burned against the pool); a traded leg is sold below.
            let out = try redemption(seized, lpPool: &lpPool, yieldRate: yieldRate, burn: true)
            if config.collateral == .insuranceShare && commit {
                // Paid out of the perpetual venue's insurance fund (the layer applies the withdrawal).
                insuranceRedemption.shares += seized
                insuranceRedemption.quote += out.quote
            }
            var revenue = Money(raw: out.quote)
            redeemedBaseUnits += Int128(out.base)
            if config.debt == .traded {
                let fill = try liquidity.trade(Quantity(raw: repaid), mid: mid, isSell: false, commit: commit)
                let rest = Quantity(raw: repaid - fill.quantity.raw)
                cost = try fill.notional + rest.notional(at: fill.worstPrice, rounding: .up)
                metrics.keeperTradedUnits += Int128(repaid)
            }
            if out.base > 0 {
                let fill = try liquidity.trade(Quantity(raw: out.base), mid: mid, isSell: true, commit: commit)
                let rest = Quantity(raw: out.base - fill.quantity.raw)
                revenue += try fill.notional + rest.notional(at: fill.worstPrice, rounding: .down)
                metrics.keeperTradedUnits += Int128(out.base)
            }
            metrics.keeperProfit += revenue
            metrics.keeperProfit -= cost
            metrics.keeperProfit -= layer.gasCost
        } catch let error as LabError {
            throw error
        } catch {
            throw LabError("lending market \(config.name) liquidation of \(id): \(error)")
        }
    }

    /// Bad debt from one liquidation: the deficit Aave wrote off (v3.3+), or, for a generation without write-off,
    /// the whole debt of a borrower left without collateral (then never liquidated again).
    private mutating func recordBadDebt(
        _ result: AaveLiquidationResult,
        id: String,
        shares: [ContagionCause: Double],
        bankrupt: inout Set<String>
    ) throws(LabError) {
        var units: Int128 = 0
        for deficit in result.deficits where deficit.asset == Self.debtAsset { units += Int128(deficit.amount) }
        writtenOffUnits += units
        if units == 0, try balance(id, debt: false) == 0 {
            units = try balance(id, debt: true)
        }
        guard units > 0 else { return }
        bankrupt.insert(id)
        try addBadDebt(units: units, shares: shares)
    }

    /// Adds `units` of debt as bad debt at the current debt price (rounded up: the loss is not understated).
    mutating func addBadDebt(units: Int128, shares: [ContagionCause: Double]) throws(LabError) {
        do {
            let narrow = try FixedMath.narrow(units, field: "bad debt units")
            let value = try Quantity(raw: narrow).notional(at: Price(raw: debtPrice), rounding: .up)
            metrics.addBadDebt(units: units, value: value, shares: shares)
        } catch {
            throw LabError("lending market \(config.name) bad debt \(units): \(error)")
        }
    }

    /// Looping borrowers whose health fell under ``LendingMarketConfig/unwindHealth`` (but not under 1) withdraw
    /// up to a quarter of their collateral (halving while the protocol refuses), sell it on the shared liquidity
    /// and repay with the proceeds.
    mutating func unwind(liquidity: inout LiquidityState, mid: Price, commit: Bool) throws(LabError) {
        guard config.unwindHealth > 0, config.collateral == .traded else { return }
        let limit = UInt128(config.unwindHealth * 1e18)
        for (k, id) in borrowers.enumerated() where loops[k] {
            guard let hf = try healthFactor(id), hf >= AavePool.liquidationThreshold, hf < limit else { continue }
            var chunk = try balance(id, debt: false) / 4
            var withdrawn: Int128 = 0
            for _ in 0..<5 where chunk > 0 {
                var trial = pool
                if (try? trial.withdraw(user: id, asset: Self.collateralAsset, amount: UInt128(chunk))) != nil {
                    pool = trial
                    withdrawn = chunk
                    break
                }
                chunk /= 2
            }
            guard withdrawn > 0 else { continue }
            withdrawnUnits += withdrawn
            let fill = try liquidity.trade(Quantity(raw: Int64(withdrawn)), mid: mid, isSell: true, commit: commit)
            // Proceeds to debt units, rounded down (the borrower cannot repay more than it received).
            let proceeds = Int128(fill.notional.raw) * 100_000_000 / Int128(debtPrice)
            let owed = try balance(id, debt: true)
            let repay = Swift.min(proceeds, owed)
            if repay > 0 {
                do {
                    _ = try pool.repay(user: id, asset: Self.debtAsset, amount: UInt128(repay))
                } catch {
                    throw LabError("lending market \(config.name) unwind repay of \(id): \(error)")
                }
                unwindRepaidUnits += repay
            }
            metrics.unwinds += 1
            metrics.unwoundUnits += withdrawn
        }
    }

    /// Debt not covered by collateral at the current prices, per borrower not already written off (debt raw
    /// units): the bad debt a run leaves behind.
    func shortfallUnits(excluding bankrupt: Set<String>) throws(LabError) -> Int128 {
        var total: Int128 = 0
        let pc = Int128(collateralPrice)
        let pd = Int128(debtPrice)
        for id in borrowers where !bankrupt.contains(id) {
            let debt = try balance(id, debt: true)
            guard debt > 0 else { continue }
            // Collateral value in debt units, rounded down (the shortfall is not understated).
            let covered = try balance(id, debt: false) * pc / pd
            if covered < debt { total += debt - covered }
        }
        return total
    }
}
