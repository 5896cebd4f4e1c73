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
    /// Σ of long sizes.
    public var longOpenInterest: Quantity
    /// Σ of |short sizes|.
    public var shortOpenInterest: Quantity

    /// A freshly listed market.
    public init() {
        indexPrice = .zero
        markPrice = .zero
        fundingIndex = .zero
        longOpenInterest = .zero
        shortOpenInterest = .zero
    }
}
