public import FulcrumCore

/// The mutable per-market state: prices, cumulative funding index and open interest.
@frozen
public struct MarketState: Sendable, Hashable {
    /// Index (oracle) price; zero until the first oracle event.
    public var indexPrice: Price
    /// Mark price; zero until the first mark event.
    public var markPrice: Price
    /// Cumulative funding index in quote per base (positive rate ⇒ it rises ⇒ longs pay).
    public var fundingIndex: Price
    /// Cumulative socialized loss per unit of base (Drift's bankruptcy deltas on the cumulative funding rates): the
    /// long rate is `fundingIndex + socializedLossIndex` and the short rate `fundingIndex − socializedLossIndex`, so
    /// both sides pay it. Already settled into the positions when it moves (see `ClearingEngine` socialization).
    public var socializedLossIndex: Price
    /// Σ of long sizes.
    public var longOpenInterest: Quantity
    /// Σ of |short sizes|.
    public var shortOpenInterest: Quantity

    /// A freshly listed market.
    public init() {
        indexPrice = .zero
        markPrice = .zero
        fundingIndex = .zero
        socializedLossIndex = .zero
        longOpenInterest = .zero
        shortOpenInterest = .zero
    }
}
