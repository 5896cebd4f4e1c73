/// A Morpho market together with its two tokens' names and decimals (for the event stream).
public struct MorphoSetup: Sendable, Hashable {
    /// The market.
    public var market: MorphoMarket
    /// Loan token symbol.
    public var loanAsset: String
    /// Loan token decimals.
    public var loanDecimals: Int
    /// Collateral token symbol.
    public var collateralAsset: String
    /// Collateral token decimals.
    public var collateralDecimals: Int

    /// Creates a setup.
    public init(
        market: MorphoMarket,
        loanAsset: String,
        loanDecimals: Int,
        collateralAsset: String,
        collateralDecimals: Int
    ) {
        self.market = market
        self.loanAsset = loanAsset
        self.loanDecimals = loanDecimals
        self.collateralAsset = collateralAsset
        self.collateralDecimals = collateralDecimals
    }
}
