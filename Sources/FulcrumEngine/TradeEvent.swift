public import FulcrumCore

/// A matched trade between two accounts.
public struct TradeEvent: Sendable, Hashable {
    /// The market.
    public var market: MarketID
    /// The buying account (its position grows by `size`).
    public var buyer: AccountID
    /// The selling account (its position shrinks by `size`).
    public var seller: AccountID
    /// Positive size, a multiple of the market's step.
    public var size: Quantity
    /// Positive price, a multiple of the market's tick.
    public var price: Price
    /// The buyer's fee rate on the notional, in [0, 1) (taker or maker; rebates are not modelled).
    public var buyerFeeRate: Rate
    /// The seller's fee rate on the notional, in [0, 1).
    public var sellerFeeRate: Rate

    /// Creates a trade.
    public init(
        market: MarketID,
        buyer: AccountID,
        seller: AccountID,
        size: Quantity,
        price: Price,
        buyerFeeRate: Rate = .zero,
        sellerFeeRate: Rate = .zero
    ) {
        self.market = market
        self.buyer = buyer
        self.seller = seller
        self.size = size
        self.price = price
        self.buyerFeeRate = buyerFeeRate
        self.sellerFeeRate = sellerFeeRate
    }
}
