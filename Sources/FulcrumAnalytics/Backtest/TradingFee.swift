public import FulcrumCore

/// Exact trading and liquidation fees.
public enum TradingFee {
    /// `|quantity| × price × rate` with one 128-bit product and one division, rounded **up** (favours the venue).
    @inlinable
    public static func fee(quantity: Quantity, price: Price, rate: Rate) throws(ArithmeticError) -> Money {
        let (notional, overflowA) = quantity.magnitude.wide.multipliedReportingOverflow(by: price.wide)
        guard !overflowA else { throw ArithmeticError(.overflow, "fee notional \(quantity) × \(price) overflows") }
        let (product, overflowB) = notional.multipliedReportingOverflow(by: rate.wide)
        guard !overflowB else { throw ArithmeticError(.overflow, "fee at rate \(rate) overflows") }
        let scale = FixedPointScale.wideFactor * FixedPointScale.wideFactor
        let raw = try FixedMath.divide(product, by: scale, rounding: .up)  // favours the venue
        return Money(raw: try FixedMath.narrow(raw, field: "fee"))
    }
}
