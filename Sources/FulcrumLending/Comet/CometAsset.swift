/// A Compound III collateral asset: the three collateral factors (wad), price (8 decimals) and scale.
public struct CometAsset: Sendable, Hashable {
    /// Symbol.
    public var symbol: String
    /// Token decimals.
    public var decimals: Int
    /// Price in USD with 8 decimals.
    public var price: UInt128
    /// Borrow collateral factor (wad): borrowing power.
    public var borrowCollateralFactor: UInt128
    /// Liquidate collateral factor (wad, > BCF): liquidation trigger.
    public var liquidateCollateralFactor: UInt128
    /// Liquidation factor (wad): share of collateral value credited to the borrower on absorb.
    public var liquidationFactor: UInt128
    /// Supply cap (token units; 0 = none).
    public var supplyCap: UInt128

    /// Creates an asset; requires `BCF < LCF ≤ 1` and `LF ≤ 1`.
    public init(
        symbol: String,
        decimals: Int,
        price: UInt128,
        borrowCollateralFactor: UInt128,
        liquidateCollateralFactor: UInt128,
        liquidationFactor: UInt128,
        supplyCap: UInt128 = 0
    ) throws {
        guard borrowCollateralFactor < liquidateCollateralFactor, liquidateCollateralFactor <= WadRayMath.wad,
            liquidationFactor <= WadRayMath.wad
        else {
            throw LendingError(
                "BorrowCFTooLarge",
                "\(symbol): borrowCF \(borrowCollateralFactor), liquidateCF \(liquidateCollateralFactor), liquidationFactor \(liquidationFactor)"
            )
        }
        guard decimals >= 0, decimals <= 30 else {
            throw LendingError("InvalidDecimals", "\(symbol) decimals \(decimals)")
        }
        self.symbol = symbol
        self.decimals = decimals
        self.price = price
        self.borrowCollateralFactor = borrowCollateralFactor
        self.liquidateCollateralFactor = liquidateCollateralFactor
        self.liquidationFactor = liquidationFactor
        self.supplyCap = supplyCap
    }

    /// `10^decimals`.
    public var scale: UInt128 { (try? WideMath.pow10(decimals)) ?? 1 }  // decimals validated ≤ 30
}
