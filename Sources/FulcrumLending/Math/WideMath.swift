public import FulcrumCore

/// Exact `a · b / d` on unsigned 128-bit operands with a 256-bit intermediate and one named rounding.
///
/// Bounds: the product is exact up to 2²⁵⁶; the quotient must fit 128 bits (≈ 3.4·10³⁸), else an overflow
/// error naming `field` is thrown. Token amounts in wei (≤ 10¹¹ tokens · 10¹⁸) and ray indices (≈ 10²⁷) stay
/// far inside these bounds.
public enum WideMath {
    /// `a · b / d`, rounded as `rounding` says.
    @inlinable
    public static func mulDiv(
        _ a: UInt128,
        _ b: UInt128,
        _ d: UInt128,
        rounding: ProtocolRounding,
        field: String = "value"
    ) throws(ArithmeticError) -> UInt128 {
        guard d != 0 else { throw ArithmeticError(.divisionByZero, "\(field): division by zero") }
        return try UInt256.product(a, b).divided(by: d, rounding: rounding).narrowed(field: field)
    }

    /// `a + b`, reporting overflow naming `field`.
    @inlinable
    public static func add(_ a: UInt128, _ b: UInt128, field: String = "value") throws(ArithmeticError) -> UInt128 {
        let (s, o) = a.addingReportingOverflow(b)
        guard !o else { throw ArithmeticError(.overflow, "\(field) \(a) + \(b) overflows") }
        return s
    }

    /// `a − b`, an out-of-range error naming `field` when `b > a`.
    @inlinable
    public static func sub(_ a: UInt128, _ b: UInt128, field: String = "value") throws(ArithmeticError) -> UInt128 {
        guard b <= a else { throw ArithmeticError(.outOfRange, "\(field) \(a) - \(b) is negative") }
        return a - b
    }

    /// `max(a − b, 0)` (Morpho's `zeroFloorSub`).
    @inlinable
    public static func zeroFloorSub(_ a: UInt128, _ b: UInt128) -> UInt128 { a > b ? a - b : 0 }

    /// `10^exponent` for `exponent ≤ 38`.
    @inlinable
    public static func pow10(_ exponent: Int) throws(ArithmeticError) -> UInt128 {
        guard exponent >= 0, exponent <= 38 else {
            throw ArithmeticError(.outOfRange, "decimals \(exponent) must be in 0...38")
        }
        var r: UInt128 = 1
        for _ in 0..<exponent { r *= 10 }  // ≤ 10³⁸ < 2¹²⁸: cannot overflow.
        return r
    }
}
