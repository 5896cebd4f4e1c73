import FulcrumCore

/// What the first half of a step (``CascadeRun/openStep(_:exogenous:)``) hands to the second half: the exogenous
/// price, the volatility estimate the step started with, the depth multiplier, and the venue's fundamental price
/// (exogenous × permanent impact) that every trade of the step walks the liquidity around.
struct OpenedStep: Sendable {
    /// The exogenous price of the step.
    var exogenous: Price
    /// The traded-price volatility estimate at the start of the step.
    var sigma: Double
    /// The depth multiplier (depth scale × withdrawal).
    var multiplier: Double
    /// The fundamental price: the mid the step's trades walk the book around.
    var fundamental: Price
}
