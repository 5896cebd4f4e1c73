import FulcrumCore

/// `getUserAccountData`: an account's totals in base currency (8 decimals) and its health factor (wad).
public struct AaveAccountData: Sendable, Hashable {
    /// Σ collateral value (floored per reserve).
    public var totalCollateralBase: UInt128
    /// Σ debt value (ceil per reserve from v3.5, floor before).
    public var totalDebtBase: UInt128
    /// Σ value × liquidation threshold (bps × base).
    public var weightedThreshold: UInt128
    /// Value-weighted average LTV (bps, floor).
    public var averageLtv: UInt128
    /// Value-weighted average liquidation threshold (bps, floor).
    public var averageLiquidationThreshold: UInt128
    /// Health factor (wad; `UInt128.max` without debt).
    public var healthFactor: UInt128
    /// `max(0, totalCollateral ⊗ avgLTV − totalDebt)` in base.
    public var availableBorrowsBase: UInt128
    /// Whether the account is in isolation mode, and its isolated collateral.
    public var isolatedCollateral: String?
}
