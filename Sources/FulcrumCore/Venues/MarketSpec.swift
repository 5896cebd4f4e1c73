/// The static description of one perpetual market on one venue: symbol, settlement, increments and tiers.
public struct MarketSpec: Sendable, Hashable {
    /// The venue's symbol, e.g. `BTCUSDT`, `BTC-USD`, `XBTUSD`.
    public var symbol: String
    /// Linear or inverse settlement.
    public var kind: ContractKind
    /// Price increment; prices in events must be multiples of it.
    public var tickSize: Price
    /// Quantity increment; sizes in events must be multiples of it.
    public var stepSize: Quantity
    /// For inverse markets: quote value of one contract (BitMEX XBTUSD: 1 USD). Ignored for linear markets.
    public var contractValue: Money
    /// The margin tier (risk-limit) table.
    public var tiers: MarginTierTable
    /// Where the table comes from and when it was read (a URL or repository path and a date).
    public var tierSource: String
    /// The market's own margin model when it differs from the venue's (dYdX liquidity tier, Drift market
    /// ratios); `nil` uses ``VenueProfile/marginModel``.
    public var marginModel: MarginModel?

    /// Creates a market description.
    public init(
        symbol: String,
        kind: ContractKind = .linear,
        tickSize: Price,
        stepSize: Quantity,
        contractValue: Money = .one,
        tiers: MarginTierTable,
        tierSource: String,
        marginModel: MarginModel? = nil
    ) {
        self.symbol = symbol
        self.kind = kind
        self.tickSize = tickSize
        self.stepSize = stepSize
        self.contractValue = contractValue
        self.tiers = tiers
        self.tierSource = tierSource
        self.marginModel = marginModel
    }
}
