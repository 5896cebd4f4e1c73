import FulcrumCore

/// One Aave reserve's risk parameters (governance-set; percentages in basis points, 10⁴ = 100%).
///
/// Validated like `PoolConfigurator.configureReserveAsCollateral`: `ltv ≤ liquidationThreshold`; when the threshold
/// is non-zero the bonus is above 100% and `threshold ⊗ bonus ≤ 100%`.
public struct AaveReserveConfig: Sendable, Hashable {
    /// The asset's symbol (the key used in events).
    public var symbol: String
    /// Token decimals (USDC 6, WBTC 8, WETH 18).
    public var decimals: Int
    /// Loan-to-value (bps), e.g. 8050.
    public var ltv: UInt128
    /// Liquidation threshold (bps), e.g. 8300.
    public var liquidationThreshold: UInt128
    /// Liquidation bonus stored as 100% + bonus (bps), e.g. 10500 for 5%.
    public var liquidationBonus: UInt128
    /// Share of interest sent to the treasury (bps).
    public var reserveFactor: UInt128
    /// Share of the liquidation bonus sent to the treasury (bps).
    public var liquidationProtocolFee: UInt128
    /// Supply cap in whole tokens (0 = none).
    public var supplyCap: UInt128
    /// Borrow cap in whole tokens (0 = none).
    public var borrowCap: UInt128
    /// Isolation-mode debt ceiling in USD cents (0 = not isolated). Ignored from v3.7.
    public var debtCeiling: UInt128
    /// Whether isolated-mode users may borrow this asset.
    public var borrowableInIsolation: Bool
    /// The interest-rate strategy.
    public var rateStrategy: AaveRateStrategy

    /// Creates and validates a configuration.
    ///
    /// - Throws: ``LendingError`` naming the parameter and value.
    public init(
        symbol: String,
        decimals: Int,
        ltv: UInt128,
        liquidationThreshold: UInt128,
        liquidationBonus: UInt128,
        reserveFactor: UInt128 = 1_000,
        liquidationProtocolFee: UInt128 = 0,
        supplyCap: UInt128 = 0,
        borrowCap: UInt128 = 0,
        debtCeiling: UInt128 = 0,
        borrowableInIsolation: Bool = false,
        rateStrategy: AaveRateStrategy
    ) throws {
        guard decimals >= 0, decimals <= 30 else {
            throw LendingError("InvalidDecimals", "\(symbol) decimals \(decimals) must be in 0...30")
        }
        guard ltv <= liquidationThreshold else {
            throw LendingError(
                "InvalidReserveParams",
                "\(symbol) ltv \(ltv) > liquidationThreshold \(liquidationThreshold)"
            )
        }
        if liquidationThreshold != 0 {
            guard liquidationBonus > 10_000 else {
                throw LendingError(
                    "InvalidReserveParams",
                    "\(symbol) liquidationBonus \(liquidationBonus) must exceed 10000"
                )
            }
            guard try WadRayMath.percentMul(liquidationThreshold, liquidationBonus) <= 10_000 else {
                throw LendingError(
                    "InvalidReserveParams",
                    "\(symbol) liquidationThreshold \(liquidationThreshold) × bonus \(liquidationBonus) exceeds 100%"
                )
            }
        }
        guard reserveFactor <= 10_000, liquidationProtocolFee <= 10_000 else {
            throw LendingError("InvalidReserveParams", "\(symbol) reserveFactor/protocolFee must be ≤ 10000 bps")
        }
        self.symbol = symbol
        self.decimals = decimals
        self.ltv = ltv
        self.liquidationThreshold = liquidationThreshold
        self.liquidationBonus = liquidationBonus
        self.reserveFactor = reserveFactor
        self.liquidationProtocolFee = liquidationProtocolFee
        self.supplyCap = supplyCap
        self.borrowCap = borrowCap
        self.debtCeiling = debtCeiling
        self.borrowableInIsolation = borrowableInIsolation
        self.rateStrategy = rateStrategy
    }
}
