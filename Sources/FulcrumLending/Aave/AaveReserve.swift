import FulcrumCore

/// One reserve's configuration and live state: indices, rates, scaled totals, deficit, isolation debt, price.
public struct AaveReserve: Sendable, Hashable {
    /// Risk parameters.
    public var config: AaveReserveConfig
    /// Liquidity index (ray), starts at 1.
    public var liquidityIndex: UInt128 = WadRayMath.ray
    /// Variable borrow index (ray), starts at 1.
    public var borrowIndex: UInt128 = WadRayMath.ray
    /// Current supply rate (ray, annual).
    public var supplyRate: UInt128 = 0
    /// Current variable borrow rate (ray, annual).
    public var borrowRate: UInt128 = 0
    /// Time of the last index update (seconds).
    public var lastUpdate: UInt64 = 0
    /// Σ scaled aToken balances (including the treasury's).
    public var scaledSupply: UInt128 = 0
    /// Σ scaled variable debt.
    public var scaledDebt: UInt128 = 0
    /// Underlying held by the pool and available to borrow (the v3.1+ virtual balance).
    public var available: UInt128 = 0
    /// Scaled aTokens owed to the treasury, not yet minted.
    public var accruedToTreasury: UInt128 = 0
    /// Debt written off without collateral (v3.3+), in token units.
    public var deficit: UInt128 = 0
    /// Isolation-mode debt against this collateral, in USD cents (v3.0–v3.6).
    public var isolationModeTotalDebt: UInt128 = 0
    /// Oracle price in the base currency with 8 decimals (USD markets).
    public var price: UInt128

    /// A fresh reserve at `time` with `price`.
    public init(config: AaveReserveConfig, price: UInt128, time: UInt64) {
        self.config = config
        self.price = price
        lastUpdate = time
    }

    /// `10^decimals`.
    public var unit: UInt128 { (try? WideMath.pow10(config.decimals)) ?? 1 }  // decimals validated ≤ 30
}
