public import FulcrumCore

/// `lend health` output: health factor, borrowing room, liquidation prices and the largest liquidation allowed now.
public struct LendingHealthReport: Sendable, Hashable {
    /// The largest liquidation allowed now and what it pays (values in the base currency, USD).
    public struct Liquidation: Sendable, Hashable {
        /// Debt asset repaid.
        public var debtAsset: String
        /// Collateral asset(s) seized (Compound III absorbs all: comma-separated).
        public var collateralAsset: String
        /// Debt repaid, token units.
        public var debtAmount: Quantity
        /// Collateral seized, token units (Compound III: Σ over assets is not meaningful, so 0 with several assets).
        public var collateralAmount: Quantity
        /// Value of the debt repaid (USD).
        public var debtToCover: Money
        /// Value of the collateral seized (USD).
        public var collateralSeized: Money
        /// Liquidator's profit before gas (USD); see docs/LENDING.md for each protocol's definition.
        public var liquidatorProfit: Money
        /// Debt written off as bad debt by this liquidation (USD).
        public var badDebt: Money

        /// Creates a quote.
        public init(
            debtAsset: String,
            collateralAsset: String,
            debtAmount: Quantity,
            collateralAmount: Quantity,
            debtToCover: Money,
            collateralSeized: Money,
            liquidatorProfit: Money,
            badDebt: Money
        ) {
            self.debtAsset = debtAsset
            self.collateralAsset = collateralAsset
            self.debtAmount = debtAmount
            self.collateralAmount = collateralAmount
            self.debtToCover = debtToCover
            self.collateralSeized = collateralSeized
            self.liquidatorProfit = liquidatorProfit
            self.badDebt = badDebt
        }
    }

    /// Health factor (8 decimals, floored); `nil` without debt (infinite).
    public var healthFactor: Rate?
    /// Whether the position can be liquidated now.
    public var liquidatable: Bool
    /// Total collateral value (USD).
    public var collateralValue: Money
    /// Total debt value (USD).
    public var debtValue: Money
    /// Additional debt value that may be borrowed now (USD, ≥ 0).
    public var maxBorrow: Money
    /// For each collateral asset, the price below which the position is liquidatable (others fixed); `nil` when no
    /// price of that asset alone can make it liquidatable. Rounded up (the warning comes no later than the protocol).
    public var liquidationPrices: [(asset: String, price: Price?)]
    /// The largest liquidation allowed now; `nil` when the position is healthy.
    public var maxLiquidation: Liquidation?

    /// Creates a report.
    public init(
        healthFactor: Rate?,
        liquidatable: Bool,
        collateralValue: Money,
        debtValue: Money,
        maxBorrow: Money,
        liquidationPrices: [(asset: String, price: Price?)],
        maxLiquidation: Liquidation?
    ) {
        self.healthFactor = healthFactor
        self.liquidatable = liquidatable
        self.collateralValue = collateralValue
        self.debtValue = debtValue
        self.maxBorrow = maxBorrow
        self.liquidationPrices = liquidationPrices
        self.maxLiquidation = maxLiquidation
    }

    public static func == (lhs: LendingHealthReport, rhs: LendingHealthReport) -> Bool {
        lhs.healthFactor == rhs.healthFactor && lhs.liquidatable == rhs.liquidatable
            && lhs.collateralValue == rhs.collateralValue && lhs.debtValue == rhs.debtValue
            && lhs.maxBorrow == rhs.maxBorrow
            && lhs.liquidationPrices.map(\.asset) == rhs.liquidationPrices.map(\.asset)
            && lhs.liquidationPrices.map(\.price) == rhs.liquidationPrices.map(\.price)
            && lhs.maxLiquidation == rhs.maxLiquidation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(healthFactor)
        hasher.combine(maxBorrow)
        hasher.combine(maxLiquidation)
    }
}
