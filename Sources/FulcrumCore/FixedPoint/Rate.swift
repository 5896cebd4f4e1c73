/// A dimensionless rate or ratio (maintenance margin rate 0.004, funding rate 0.0001, fee 0.0005).
///
/// Stored as a fixed-point integer with 8 decimals (see FixedPointNumber): 1 is raw 10⁸; a rate may be negative (funding).
@frozen
public struct Rate: FixedPointNumber {
    /// The stored integer: the value times 10⁸.
    public var raw: Int64

    /// Creates a value from its stored integer (value · 10⁸).
    @inlinable
    public init(raw: Int64) { self.raw = raw }

    public static var unitName: String { "rate" }
}
