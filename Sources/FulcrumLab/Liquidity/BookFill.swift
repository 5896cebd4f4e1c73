public import FulcrumCore

/// The result of walking a market order through a liquidity model.
public struct BookFill: Sendable, Hashable {
    /// Base quantity filled (≤ requested; less when the book ran out).
    public var quantity: Quantity
    /// Quote paid or received for the filled quantity.
    public var notional: Money
    /// Price of the last (worst) level touched; the mid price when nothing filled.
    public var worstPrice: Price
    /// Number of levels touched.
    public var levelsTouched: Int

    /// Creates a fill.
    public init(quantity: Quantity, notional: Money, worstPrice: Price, levelsTouched: Int) {
        self.quantity = quantity
        self.notional = notional
        self.worstPrice = worstPrice
        self.levelsTouched = levelsTouched
    }

    /// Volume-weighted average price `notional / quantity`, rounded half-even (a statistic, not a settlement);
    /// `nil` when nothing filled.
    public var averagePrice: Price? {
        guard quantity.isPositive else { return nil }
        return try? notional.divided(by: quantity, rounding: .halfEven)
    }
}
