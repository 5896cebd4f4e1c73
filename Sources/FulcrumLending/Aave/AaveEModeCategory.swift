import FulcrumCore

/// An efficiency-mode category: higher LTV/threshold and its own bonus for a set of correlated assets.
///
/// A user in the category gets these parameters for collateral in `assets` and may borrow only `assets`
/// (the v3.0 single-category model; v3.2's separate collateral/borrowable bitmaps collapse to one list here).
public struct AaveEModeCategory: Sendable, Hashable {
    /// Category id (1…255).
    public var id: UInt8
    /// LTV (bps).
    public var ltv: UInt128
    /// Liquidation threshold (bps).
    public var liquidationThreshold: UInt128
    /// Liquidation bonus, 100% + bonus (bps).
    public var liquidationBonus: UInt128
    /// Member assets (symbols).
    public var assets: [String]

    /// Creates a category; `ltv ≤ threshold`, non-zero, `threshold ⊗ bonus ≤ 100%`.
    public init(
        id: UInt8,
        ltv: UInt128,
        liquidationThreshold: UInt128,
        liquidationBonus: UInt128,
        assets: [String]
    )
        throws
    {
        guard id != 0, ltv != 0, ltv <= liquidationThreshold, liquidationBonus > 10_000,
            try WadRayMath.percentMul(liquidationThreshold, liquidationBonus) <= 10_000
        else {
            throw LendingError(
                "InvalidEModeCategory",
                "eMode \(id): ltv \(ltv), threshold \(liquidationThreshold), bonus \(liquidationBonus)"
            )
        }
        self.id = id
        self.ltv = ltv
        self.liquidationThreshold = liquidationThreshold
        self.liquidationBonus = liquidationBonus
        self.assets = assets
    }
}
