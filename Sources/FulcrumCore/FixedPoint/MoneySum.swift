/// A wide running total of ``Money`` (128-bit raw), for ledgers that sum over millions of accounts.
///
/// Totals such as "all deposits" may exceed the ±92 billion range of a single ``Money``; a `MoneySum`
/// cannot overflow in any realistic run (±1.7·10³⁰ units of 10⁻⁸).
@frozen
public struct MoneySum: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The stored integer: the value times 10⁸.
    public var raw: Int128

    /// Zero.
    @inlinable public init() { raw = 0 }
    /// A total from its stored integer.
    @inlinable public init(raw: Int128) { self.raw = raw }
    /// A total holding one amount.
    @inlinable public init(_ money: Money) { raw = Int128(money.raw) }

    /// Adds an amount.
    @inlinable public static func += (lhs: inout MoneySum, rhs: Money) { lhs.raw += Int128(rhs.raw) }
    /// Subtracts an amount.
    @inlinable public static func -= (lhs: inout MoneySum, rhs: Money) { lhs.raw -= Int128(rhs.raw) }
    /// Sum of two totals.
    @inlinable public static func + (lhs: MoneySum, rhs: MoneySum) -> MoneySum { MoneySum(raw: lhs.raw + rhs.raw) }
    /// Difference of two totals.
    @inlinable public static func - (lhs: MoneySum, rhs: MoneySum) -> MoneySum { MoneySum(raw: lhs.raw - rhs.raw) }
    @inlinable public static func < (lhs: MoneySum, rhs: MoneySum) -> Bool { lhs.raw < rhs.raw }

    /// The total as ``Money`` when it fits.
    public var money: Money? { Int64(exactly: raw).map(Money.init(raw:)) }

    public var description: String {
        let negative = raw < 0
        let magnitude = raw.magnitude
        let factor = UInt128(FixedPointScale.factor)
        let whole = magnitude / factor
        let fraction = UInt64(magnitude % factor)
        let fractionText = FixedPointDecimal.format(Int64(fraction))  // "0.xxx" or "0"
        let tail = fractionText == "0" ? "" : String(fractionText.dropFirst())
        return (negative ? "-" : "") + String(whole) + tail
    }
}
