public import FulcrumCore

/// What one lending market did during a run. Unit totals are the assets' fixed-point raw units (10⁻⁸ of a token)
/// in `Int128`; values are quote ``MoneySum``s at the oracle prices of the moment.
public struct LendingMarketMetrics: Sendable, Hashable {
    /// Liquidation transactions executed.
    public var liquidations = 0
    /// Liquidatable borrowers a keeper found but left alone because the profit after gas was below the minimum.
    public var skippedUnprofitable = 0
    /// Liquidatable borrower-steps skipped because the oracle was stale.
    public var heldOnStaleOracle = 0
    /// Liquidatable borrower-steps left for the next step because the block's liquidation budget was spent.
    public var deferredByBudget = 0
    /// Collateral seized by keepers (collateral raw units, protocol fee included).
    public var collateralSeizedUnits: Int128 = 0
    /// Value of the seized collateral at the oracle price (quote).
    public var collateralSeized = MoneySum()
    /// Debt repaid by keepers (debt raw units).
    public var debtRepaidUnits: Int128 = 0
    /// Bad debt written off or left uncovered by collateral (debt raw units).
    public var badDebtUnits: Int128 = 0
    /// Bad debt value (quote) at the debt price of the moment it appeared.
    public var badDebt = MoneySum()
    /// Bad debt value by cause (sums to ``badDebt``).
    public var badDebtByCause: [ContagionCause: MoneySum] = [:]
    /// Keepers' realized profit after slippage and gas (quote).
    public var keeperProfit = MoneySum()
    /// Looping borrowers and the collateral their loops bought on the book (raw units).
    public var loopers = 0
    /// Collateral bought on the shared liquidity by loops at setup (raw units).
    public var loopBoughtUnits: Int128 = 0
    /// Unwind transactions (sell collateral, repay) by looping borrowers.
    public var unwinds = 0
    /// Collateral sold on the shared liquidity by unwinds (raw units).
    public var unwoundUnits: Int128 = 0
    /// Collateral sold (or debt asset bought) on the shared liquidity by keepers (raw units).
    public var keeperTradedUnits: Int128 = 0

    /// A zeroed record.
    public init() {}

    mutating func addBadDebt(units: Int128, value: Money, shares: [ContagionCause: Double]) {
        badDebtUnits += units
        badDebt += value
        // Split half-even per cause; the last cause takes the remainder so the parts sum to the value exactly.
        var left = value.raw
        let causes = ContagionCause.allCases.filter { (shares[$0] ?? 0) > 0 }
        for (k, cause) in causes.enumerated() {
            let part =
                k == causes.count - 1
                ? left : Int64((Double(value.raw) * (shares[cause] ?? 0)).rounded(.toNearestOrEven))
            let bounded = Swift.min(left, Swift.max(0, part))
            badDebtByCause[cause, default: MoneySum()] += Money(raw: bounded)
            left -= bounded
        }
    }
}
