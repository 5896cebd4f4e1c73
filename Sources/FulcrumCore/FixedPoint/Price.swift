/// A price in quote currency per unit of base (USDT per BTC; USD per contract-coin for inverse markets).
///
/// Stored as a fixed-point integer with 8 decimals (see FixedPointNumber): prices are never negative in a valid market; validation happens where prices enter (events, CLI).
@frozen
public struct Price: FixedPointNumber {
    /// The stored integer: the value times 10⁸.
    public var raw: Int64

    /// Creates a value from its stored integer (value · 10⁸).
    @inlinable
    public init(raw: Int64) { self.raw = raw }

    public static var unitName: String { "price" }
}
