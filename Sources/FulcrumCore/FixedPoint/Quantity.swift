/// A base-asset quantity (BTC, ETH, or contracts for inverse markets). Signed where it is a position (long > 0, short < 0).
///
/// Stored as a fixed-point integer with 8 decimals (see FixedPointNumber): a position's size is signed; order and trade sizes are positive.
@frozen
public struct Quantity: FixedPointNumber {
    /// The stored integer: the value times 10⁸.
    public var raw: Int64

    /// Creates a value from its stored integer (value · 10⁸).
    @inlinable
    public init(raw: Int64) { self.raw = raw }

    public static var unitName: String { "quantity" }
}
