public import FulcrumCore

/// One perpetual position's bookkeeping: signed size and average entry, with exact realised PnL on trades.
public struct PerpLeg: Sendable, Hashable {
    /// Signed size (long > 0).
    public private(set) var size: Quantity = .zero
    /// Average entry price (zero when flat).
    public private(set) var entry: Price = .zero

    /// A flat leg.
    public init() {}

    /// Unrealised PnL `size × (mark − entry)`, rounded **down** (favours the venue: equity is never overstated).
    @inlinable
    public func unrealized(at mark: Price) throws(ArithmeticError) -> Money {
        if size.isZero { return .zero }
        let move = mark.wide - entry.wide  // both < 2^63: the difference fits in 128 bits
        let raw = try FixedMath.multiplyDivide(size.wide, move, FixedPointScale.wideFactor, rounding: .down)
        return Money(raw: try FixedMath.narrow(raw, field: "unrealized PnL"))
    }

    /// Trades `delta` (signed) at `price` and returns the realised PnL of the part that reduced the position.
    ///
    /// Increasing: the new entry is the size-weighted average `(|s|·e + |δ|·p) ÷ |s + δ|`, rounded half-even
    /// (a bookkeeping average; neither side is favoured). Reducing: realised PnL `closed × (p − e)` rounded **down**
    /// (favours the venue). A flip closes the old side and opens the remainder at `price`.
    public mutating func trade(_ delta: Quantity, at price: Price) throws(ArithmeticError) -> Money {
        if delta.isZero { return .zero }
        let newSize = try size.adding(delta)
        if size.isZero || (size.isNegative == delta.isNegative) {
            if size.isZero {
                entry = price
            } else {
                let weighted = size.magnitude.wide * entry.wide + delta.magnitude.wide * price.wide
                let average = try FixedMath.divide(weighted, by: newSize.magnitude.wide, rounding: .halfEven)
                entry = Price(raw: try FixedMath.narrow(average, field: "entry price"))
            }
            size = newSize
            return .zero
        }
        // Reducing (or flipping): the closed part has the old position's sign.
        let closedMagnitude = Quantity.minimum(delta.magnitude, size.magnitude)
        let closedSigned = size.isNegative ? -closedMagnitude : closedMagnitude
        let move = price.wide - entry.wide
        let realizedRaw = try FixedMath.multiplyDivide(
            closedSigned.wide,
            move,
            FixedPointScale.wideFactor,
            rounding: .down
        )
        let realized = Money(raw: try FixedMath.narrow(realizedRaw, field: "realized PnL"))
        size = newSize
        if size.isZero {
            entry = .zero
        } else if size.isNegative != closedSigned.isNegative {
            entry = price  // flipped: the remainder opened at this price
        }
        return realized
    }
}
