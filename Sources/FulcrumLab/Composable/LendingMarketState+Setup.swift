import FulcrumCore
import FulcrumLending

/// Borrower generation and recursive loops at the start of a run.
extension LendingMarketState {
    /// Generates the borrowers: the whale (``LendingMarketConfig/whaleShare`` of the collateral at
    /// ``LendingMarketConfig/whaleLoanToValue``), the others with exponential weights and a uniform loan-to-value;
    /// the loopers among them buy collateral on `liquidity` (committed when `commit`) until their target leverage.
    /// The lenders supply twice the borrowed debt.
    mutating func populate(
        random: inout LabRandom,
        liquidity: inout LiquidityState,
        mid: Price,
        commit: Bool
    ) throws(LabError) {
        let n = config.borrowers
        let total = Double(config.totalCollateral.raw)
        let whale = config.whaleShare > 0 ? total * config.whaleShare : 0
        let others = whale > 0 ? n - 1 : n
        var weights: [Double] = []
        for _ in 0..<others { weights.append(random.nextExponential()) }
        let sum = weights.reduce(0, +)
        var plan: [(units: Int64, ltv: Double, loops: Bool)] = []
        if whale > 0 { plan.append((Int64(whale.rounded(.down)), config.whaleLoanToValue, false)) }
        let range = config.loanToValueRange
        for w in weights {
            // Shares rounded down: the rest of the total stays undeposited (a model quantity, favours no one).
            let units = sum > 0 ? Int64(((total - whale) * w / sum).rounded(.down)) : 0
            let ltv = range.lowerBound + (range.upperBound - range.lowerBound) * random.nextUnit()
            let loops = config.loopLeverage > 1 && random.nextUnit() < config.loopShare
            plan.append((units, ltv, loops))
        }
        // Lenders first: enough debt asset for every loan and loop.
        var need: Double = 0
        let pc = Double(collateralPrice)
        let pd = Double(debtPrice)
        for p in plan { need += Double(p.units) * pc * p.ltv * (p.loops ? config.loopLeverage : 1) / pd }
        let supply = Int128((2 * need + 1e8).rounded(.up))
        do {
            try pool.supply(user: Self.lender, asset: Self.debtAsset, amount: UInt128(supply))
        } catch {
            throw LabError("lending market \(config.name) lender supply \(supply): \(error)")
        }
        lenderSupplyUnits = supply
        for (k, p) in plan.enumerated() where p.units > 0 {
            let id = "b\(k)"
            borrowers.append(id)
            loops.append(p.loops)
            do {
                try pool.supply(user: id, asset: Self.collateralAsset, amount: UInt128(p.units))
            } catch {
                throw LabError("lending market \(config.name) borrower \(id) supply \(p.units): \(error)")
            }
            depositedUnits += Int128(p.units)
            if p.loops {
                metrics.loopers += 1
                try loop(id, deposit: p.units, ltv: p.ltv, liquidity: &liquidity, mid: mid, commit: commit)
            } else {
                // Debt rounded down: the borrower stays at or under its drawn loan-to-value (favours the protocol).
                let debt = Int128((Double(p.units) * pc * p.ltv / pd).rounded(.down))
                try borrow(id, debt)
            }
        }
    }

    /// Borrows `amount` raw units, or 99% of it when Aave's own LTV rounding rejects the exact amount.
    mutating func borrow(_ id: String, _ amount: Int128) throws(LabError) {
        guard amount > 0 else { return }
        do {
            try pool.borrow(user: id, asset: Self.debtAsset, amount: UInt128(amount))
            borrowedUnits += amount
        } catch {
            let smaller = amount * 99 / 100  // truncating: a smaller loan, favours the protocol
            do {
                try pool.borrow(user: id, asset: Self.debtAsset, amount: UInt128(smaller))
                borrowedUnits += smaller
            } catch {
                throw LabError("lending market \(config.name) borrower \(id) borrow \(amount): \(error)")
            }
        }
    }

    /// Borrow → buy collateral on the book → deposit, repeated until the collateral is `loopLeverage` × the first
    /// deposit (at most 16 rounds), each round borrowing up to `ltv` of the position's collateral value.
    mutating func loop(
        _ id: String,
        deposit: Int64,
        ltv: Double,
        liquidity: inout LiquidityState,
        mid: Price,
        commit: Bool
    ) throws(LabError) {
        let target = Double(deposit) * config.loopLeverage
        var held = Double(deposit)
        var owed: Double = 0
        let pc = Double(collateralPrice)
        let pd = Double(debtPrice)
        for _ in 0..<16 {
            let room = held * pc * ltv / pd - owed  // debt units still borrowable at the drawn LTV
            let want = Swift.min(target - held, room * pd / pc)
            guard want >= 1e6 else { break }  // under 0.01 unit: done
            let fill = try liquidity.trade(
                Quantity(raw: Int64(want.rounded(.down))),
                mid: mid,
                isSell: false,
                commit: commit
            )
            guard fill.quantity.isPositive else { break }
            // The debt that paid the fill, rounded up (favours the protocol).
            let debt = Int128((Double(fill.notional.raw) * 1e8 / pd).rounded(.up))
            do {
                try pool.borrow(user: id, asset: Self.debtAsset, amount: UInt128(debt))
                try pool.supply(user: id, asset: Self.collateralAsset, amount: UInt128(fill.quantity.raw))
            } catch {
                break  // the protocol refuses a further round (LTV): the loop stops here
            }
            borrowedUnits += debt
            depositedUnits += Int128(fill.quantity.raw)
            metrics.loopBoughtUnits += Int128(fill.quantity.raw)
            held += Double(fill.quantity.raw)
            owed += Double(debt)
        }
    }
}
