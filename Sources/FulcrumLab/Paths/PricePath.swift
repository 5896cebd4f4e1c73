public import FulcrumCore
import RealModule

/// A fixed-point exogenous price path: `prices[0]` is the start, `prices[t + 1]` the price after step `t`.
public struct PricePath: Sendable, Hashable {
    /// The prices, start first.
    public var prices: [Price]

    /// Creates a path from prices.
    public init(prices: [Price]) { self.prices = prices }

    /// Compounds log returns from `start` and converts each price to fixed point.
    ///
    /// `p_{t+1} = p_0 · exp(Σ_{s≤t} r_s)` is computed in Double from the start (no drift from repeated rounding)
    /// and converted with round-half-even to a multiple of `tick` (neutral: favours no one; the path is an
    /// exogenous input, not a settlement). Prices are floored at one tick.
    ///
    /// - Throws: ``LabError`` when a price leaves the fixed-point range or the tick is not positive.
    public init(start: Price, logReturns: [Double], tick: Price) throws(LabError) {
        guard start.isPositive else { throw LabError("start price \(start) must be positive") }
        guard tick.isPositive else { throw LabError("tick \(tick) must be positive") }
        var prices = [Price]()
        prices.reserveCapacity(logReturns.count + 1)
        prices.append(start)
        let startDouble = Double(start.raw)
        var cumulative = 0.0
        for (t, r) in logReturns.enumerated() {
            cumulative += r
            let raw = startDouble * Double.exp(cumulative)
            guard raw.isFinite, raw < 9.2e18 else {
                throw LabError("price path overflows at step \(t) (log \(cumulative))")
            }
            let ticks = (raw / Double(tick.raw)).rounded(.toNearestOrEven)
            let clamped = Swift.max(1, Int64(ticks))
            prices.append(Price(raw: clamped * tick.raw))
        }
        self.prices = prices
    }

    /// The lowest price on the path.
    public var minimum: Price { prices.min() ?? .zero }
    /// The highest price on the path.
    public var maximum: Price { prices.max() ?? .zero }
}
