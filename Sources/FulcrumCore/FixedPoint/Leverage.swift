/// A leverage multiple (20 means 20×).
///
/// Stored as a fixed-point integer with 8 decimals (see FixedPointNumber): leverage is positive; 1/leverage is the initial margin rate.
@frozen
public struct Leverage: FixedPointNumber {
    /// The stored integer: the value times 10⁸.
    public var raw: Int64

    /// Creates a value from its stored integer (value · 10⁸).
    @inlinable
    public init(raw: Int64) { self.raw = raw }

    public static var unitName: String { "leverage" }
}
