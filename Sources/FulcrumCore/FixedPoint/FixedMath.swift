/// Integer kernels behind every fixed-point operation: 128-bit products and divisions with a named rounding.
///
/// All functions are pure and total: they report overflow and division by zero as ``ArithmeticError``
/// instead of trapping.
public enum FixedMath {
    /// Divides `numerator` by `denominator`, rounding as `rule` says.
    ///
    /// - Throws: ``ArithmeticError/Code-swift.struct/divisionByZero`` when `denominator == 0`;
    ///   ``ArithmeticError/Code-swift.struct/overflow`` for `Int128.min / -1`.
    @inlinable
    public static func divide(
        _ numerator: Int128,
        by denominator: Int128,
        rounding rule: RoundingRule
    ) throws(ArithmeticError) -> Int128 {
        guard denominator != 0 else { throw ArithmeticError(.divisionByZero, "division by zero") }
        let (quotient, overflow) = numerator.dividedReportingOverflow(by: denominator)
        guard !overflow else { throw ArithmeticError(.overflow, "128-bit division overflows") }
        let remainder = numerator - quotient * denominator
        if remainder == 0 { return quotient }
        // Sign of the exact quotient: negative when the operands' signs differ.
        let negative = (numerator < 0) != (denominator < 0)
        switch rule {
        case .towardZero:
            return quotient
        case .down:
            return negative ? quotient - 1 : quotient
        case .up:
            return negative ? quotient : quotient + 1
        case .awayFromZero:
            return negative ? quotient - 1 : quotient + 1
        case .halfEven:
            // Compare 2·|r| with |d| without overflow: |r| < |d| ≤ Int128.max, so |d| − |r| is safe.
            let r = remainder.magnitude
            let d = denominator.magnitude
            let rest = d - r
            let awayFromZero: Bool
            if r > rest {
                awayFromZero = true
            } else if r < rest {
                awayFromZero = false
            } else {
                awayFromZero = quotient & 1 != 0  // tie: go to the even neighbour
            }
            guard awayFromZero else { return quotient }
            return negative ? quotient - 1 : quotient + 1
        }
    }

    /// Computes `a · b / d` exactly in 128 bits, then rounds the single division as `rule` says.
    ///
    /// - Throws: ``ArithmeticError`` on a 128-bit overflow of `a · b` or a zero divisor.
    @inlinable
    public static func multiplyDivide(
        _ a: Int128,
        _ b: Int128,
        _ d: Int128,
        rounding rule: RoundingRule
    ) throws(ArithmeticError) -> Int128 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw ArithmeticError(.overflow, "128-bit product overflows") }
        return try divide(product, by: d, rounding: rule)
    }

    /// Narrows a 128-bit intermediate to 64-bit storage.
    ///
    /// - Throws: ``ArithmeticError/Code-swift.struct/overflow`` naming `field` when it does not fit.
    @inlinable
    public static func narrow(_ value: Int128, field: String) throws(ArithmeticError) -> Int64 {
        guard let narrowed = Int64(exactly: value) else {
            throw ArithmeticError(.overflow, "\(field) overflows 64-bit fixed-point storage")
        }
        return narrowed
    }
}
