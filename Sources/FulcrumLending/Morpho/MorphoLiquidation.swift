/// The outcome of one Morpho Blue `liquidate` call (token units and shares).
public struct MorphoLiquidation: Sendable, Hashable {
    /// Collateral transferred to the liquidator.
    public var seizedAssets: UInt128
    /// Borrow shares burned.
    public var repaidShares: UInt128
    /// Loan assets paid by the liquidator.
    public var repaidAssets: UInt128
    /// Debt socialized to suppliers (when collateral reached zero).
    public var badDebtAssets: UInt128
    /// Borrow shares written off with it.
    public var badDebtShares: UInt128
}
