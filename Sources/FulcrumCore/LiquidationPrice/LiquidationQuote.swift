/// A solved liquidation: the prices at which the position hits maintenance and zero equity.
///
/// `nil` prices mean "none": the trigger is never reached at a positive price (e.g. a 1× short on an inverse
/// market, or a long whose margin covers the whole notional). A price is never reported as 0.
public struct LiquidationQuote: Sendable, Hashable {
    /// Price at which equity equals maintenance (plus closing fee where the venue includes it), rounded to the
    /// market tick on the trader's conservative side (long: up, short: down).
    public var liquidationPrice: Price?
    /// Price at which equity is zero, rounded to the tick like ``liquidationPrice`` (dYdX: toward +∞).
    public var bankruptcyPrice: Price?
    /// Maintenance margin of the position at entry, rounded up (favours the venue).
    public var maintenanceMargin: Money
    /// Initial margin at entry: at the given leverage, or the venue minimum when a wallet was given; rounded up.
    public var initialMargin: Money
    /// Index (0-based) of the margin bracket in force at the liquidation price (Binance's bracket caveat); for
    /// entry-value venues and single-rate overrides, the bracket at entry (0 for one-rate models).
    public var tierIndex: Int
    /// The liquidation price before tick rounding, at the 10⁻⁸ resolution, rounded the same conservative way.
    public var unroundedLiquidationPrice: Price?
    /// The margin the solve used (wallet, or entry notional ÷ leverage).
    public var margin: Money
    /// Whether the position is already at or below maintenance at its entry price.
    public var isLiquidatableAtEntry: Bool

    /// Creates a quote.
    public init(
        liquidationPrice: Price?,
        bankruptcyPrice: Price?,
        maintenanceMargin: Money,
        initialMargin: Money,
        tierIndex: Int,
        unroundedLiquidationPrice: Price?,
        margin: Money,
        isLiquidatableAtEntry: Bool
    ) {
        self.liquidationPrice = liquidationPrice
        self.bankruptcyPrice = bankruptcyPrice
        self.maintenanceMargin = maintenanceMargin
        self.initialMargin = initialMargin
        self.tierIndex = tierIndex
        self.unroundedLiquidationPrice = unroundedLiquidationPrice
        self.margin = margin
        self.isLiquidatableAtEntry = isLiquidatableAtEntry
    }
}
