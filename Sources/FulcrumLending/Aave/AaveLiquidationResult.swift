import FulcrumCore

/// What one `liquidationCall` did.
public struct AaveLiquidationResult: Sendable, Hashable {
    /// Debt repaid by the liquidator (debt-token units).
    public var debtRepaid: UInt128
    /// Collateral received by the liquidator (collateral-token units).
    public var collateralToLiquidator: UInt128
    /// Collateral sent to the treasury as protocol fee.
    public var protocolFee: UInt128
    /// Debt written off into reserve deficits, by asset (sorted by symbol).
    public var deficits: [(asset: String, amount: UInt128)]
    /// Health factor before (wad).
    public var healthFactorBefore: UInt128
    /// Health factor after (wad; `UInt128.max` without debt).
    public var healthFactorAfter: UInt128
    /// The close factor applied (bps of the cap's base: 5000 or 10000).
    public var closeFactor: UInt128
    /// Liquidator profit in base currency: value of collateral received minus value of debt repaid (may be < 0).
    public var liquidatorProfitBase: Int128

    public static func == (lhs: AaveLiquidationResult, rhs: AaveLiquidationResult) -> Bool {
        lhs.debtRepaid == rhs.debtRepaid && lhs.collateralToLiquidator == rhs.collateralToLiquidator
            && lhs.protocolFee == rhs.protocolFee && lhs.deficits.map(\.asset) == rhs.deficits.map(\.asset)
            && lhs.deficits.map(\.amount) == rhs.deficits.map(\.amount)
            && lhs.healthFactorBefore == rhs.healthFactorBefore && lhs.healthFactorAfter == rhs.healthFactorAfter
            && lhs.closeFactor == rhs.closeFactor && lhs.liquidatorProfitBase == rhs.liquidatorProfitBase
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(debtRepaid)
        hasher.combine(collateralToLiquidator)
        hasher.combine(protocolFee)
    }
}
