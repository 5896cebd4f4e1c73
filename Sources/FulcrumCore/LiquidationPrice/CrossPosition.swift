/// Another open position of a cross-margin account: it moves the account's equity by its unrealized PnL and
/// consumes maintenance margin, both evaluated at its own mark price (Binance `UPNL1` and `TMM1`).
public struct CrossPosition: Sendable, Hashable {
    /// The position's market (settlement kind must match the position being solved).
    public var market: MarketSpec
    /// Average entry price.
    public var entryPrice: Price
    /// Signed size: positive long, negative short (contracts for inverse markets).
    public var size: Quantity
    /// Current mark price.
    public var markPrice: Price
    /// Maintenance margin rate to use instead of the market's tier table (e.g. a venue-reported bracket).
    public var maintenanceMarginRate: Rate?
    /// Maintenance deduction ("cum") to use with ``maintenanceMarginRate``; zero when `nil`.
    public var maintenanceDeduction: Money?

    /// Creates a cross position.
    public init(
        market: MarketSpec,
        entryPrice: Price,
        size: Quantity,
        markPrice: Price,
        maintenanceMarginRate: Rate? = nil,
        maintenanceDeduction: Money? = nil
    ) {
        self.market = market
        self.entryPrice = entryPrice
        self.size = size
        self.markPrice = markPrice
        self.maintenanceMarginRate = maintenanceMarginRate
        self.maintenanceDeduction = maintenanceDeduction
    }
}
