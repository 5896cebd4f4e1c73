public import FulcrumCore
public import FulcrumLending

/// One Aave-v3-rules lending market inside the cascade lab: one collateral asset, one debt asset, its risk
/// parameters and its generated borrowers. Fields are documented with units and defaults in `docs/SCENARIO.md`.
public struct LendingMarketConfig: Sendable, Hashable {
    /// A short name for reports.
    public var name: String
    /// The collateral asset's price source.
    public var collateral: LendingAssetSource
    /// The debt asset's price source.
    public var debt: LendingAssetSource
    /// The Aave rule generation (close factor, dust rule, deficit write-off).
    public var version: AaveVersion
    /// Loan-to-value of the collateral (fraction).
    public var loanToValue: Rate
    /// Liquidation threshold of the collateral (fraction).
    public var liquidationThreshold: Rate
    /// Liquidation bonus (fraction above 1, e.g. 0.05).
    public var liquidationBonus: Rate
    /// Number of borrowers (the whale included when ``whaleShare`` > 0).
    public var borrowers: Int
    /// Total collateral deposited by all borrowers (collateral units).
    public var totalCollateral: Quantity
    /// Fraction of ``totalCollateral`` held by the single largest borrower (0 = no whale).
    public var whaleShare: Double
    /// The whale's borrowed value over its collateral value at the start (fraction).
    public var whaleLoanToValue: Double
    /// Smallest and largest starting loan-to-value of the other borrowers (uniform, fractions).
    public var loanToValueRange: ClosedRange<Double>
    /// Fraction of the non-whale borrowers that loop (borrow, buy collateral, deposit) at setup.
    public var loopShare: Double
    /// Target collateral / own-deposit ratio of a looping borrower (1 = no loop).
    public var loopLeverage: Double
    /// Health factor below which a looping borrower unwinds (sells collateral on the book to repay); 0 = never.
    public var unwindHealth: Double

    /// Creates a market configuration (defaults: a traded collateral against a $1 debt, Aave v3.3 rules).
    public init(
        name: String,
        collateral: LendingAssetSource = .traded,
        debt: LendingAssetSource = .fixed(Price(raw: 100_000_000)),
        version: AaveVersion = .v33,
        loanToValue: Rate = Rate(raw: 75_000_000),
        liquidationThreshold: Rate = Rate(raw: 80_000_000),
        liquidationBonus: Rate = Rate(raw: 5_000_000),
        borrowers: Int = 200,
        totalCollateral: Quantity = Quantity(raw: 1_000 * 100_000_000),
        whaleShare: Double = 0,
        whaleLoanToValue: Double = 0.7,
        loanToValueRange: ClosedRange<Double> = 0.3...0.7,
        loopShare: Double = 0,
        loopLeverage: Double = 1,
        unwindHealth: Double = 0
    ) {
        self.name = name
        self.collateral = collateral
        self.debt = debt
        self.version = version
        self.loanToValue = loanToValue
        self.liquidationThreshold = liquidationThreshold
        self.liquidationBonus = liquidationBonus
        self.borrowers = borrowers
        self.totalCollateral = totalCollateral
        self.whaleShare = whaleShare
        self.whaleLoanToValue = whaleLoanToValue
        self.loanToValueRange = loanToValueRange
        self.loopShare = loopShare
        self.loopLeverage = loopLeverage
        self.unwindHealth = unwindHealth
    }

    /// Checks every field.
    ///
    /// - Throws: ``LabError`` naming the field and value.
    public func validate(index: Int) throws(LabError) {
        let p = "lending.markets[\(index)]."
        guard !name.isEmpty else { throw LabError("\(p)name must not be empty") }
        guard collateral != debt else {
            throw LabError("\(p)collateral \(collateral.label) and debt \(debt.label) must differ")
        }
        guard !debt.isDerived else { throw LabError("\(p)debt \(debt.label): only collateral can be a derived asset") }
        if case .yieldBearing(let token) = collateral { try token.validate(path: p) }
        for (field, source) in [("collateral", collateral), ("debt", debt)] {
            if case .fixed(let price) = source, !price.isPositive {
                throw LabError("\(p)\(field) fixed price \(price) must be positive")
            }
        }
        guard loanToValue.isPositive, loanToValue <= liquidationThreshold, liquidationThreshold < .one else {
            throw LabError(
                "\(p)loanToValue \(loanToValue) and liquidationThreshold \(liquidationThreshold) must satisfy "
                    + "0 < loanToValue ≤ liquidationThreshold < 1"
            )
        }
        guard liquidationBonus.isPositive, liquidationBonus.raw <= 50_000_000 else {
            throw LabError("\(p)liquidationBonus \(liquidationBonus) must be in (0, 0.5]")
        }
        let lt = Double(liquidationThreshold.raw) / 1e8
        guard lt * (1 + Double(liquidationBonus.raw) / 1e8) <= 1 else {
            throw LabError("\(p)liquidationThreshold \(liquidationThreshold) × (1 + bonus) exceeds 1 (Aave rejects it)")
        }
        guard borrowers >= 1, borrowers <= 100_000 else {
            throw LabError("\(p)borrowers \(borrowers) must be in 1...100000")
        }
        guard totalCollateral.isPositive else {
            throw LabError("\(p)totalCollateral \(totalCollateral) must be positive")
        }
        guard whaleShare >= 0, whaleShare < 1 else {
            throw LabError("\(p)whaleShare \(whaleShare) must be in [0, 1)")
        }
        let ltv = Double(loanToValue.raw) / 1e8
        guard whaleLoanToValue > 0, whaleLoanToValue <= ltv else {
            throw LabError("\(p)whaleLoanToValue \(whaleLoanToValue) must be in (0, loanToValue \(ltv)]")
        }
        guard loanToValueRange.lowerBound > 0, loanToValueRange.upperBound <= ltv else {
            throw LabError("\(p)loanToValueRange \(loanToValueRange) must lie in (0, loanToValue \(ltv)]")
        }
        guard loopShare >= 0, loopShare <= 1 else { throw LabError("\(p)loopShare \(loopShare) must be in [0, 1]") }
        guard loopLeverage >= 1, loopLeverage <= 1 / (1 - ltv) else {
            throw LabError("\(p)loopLeverage \(loopLeverage) must be in [1, 1/(1 − loanToValue) = \(1 / (1 - ltv))]")
        }
        if loopShare > 0 && loopLeverage > 1 {
            guard collateral == .traded, case .fixed = debt else {
                throw LabError("\(p)loopShare \(loopShare): loops need a traded collateral and a fixed-price debt")
            }
        }
        guard unwindHealth == 0 || (unwindHealth > 1 && unwindHealth < 3) else {
            throw LabError("\(p)unwindHealth \(unwindHealth) must be 0 or in (1, 3)")
        }
    }
}
