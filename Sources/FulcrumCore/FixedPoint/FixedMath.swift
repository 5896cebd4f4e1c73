/// Integer kernels behind every fixed-point operation: 128-bit products and divisions with a named rounding.
///
/// All functions are pure and total: they report overflow and division by zero as ``ArithmeticError``
/// instead of trapping.
public enum FixedMath {
    /// Divides `numerator` by `denominator`, rounding as `rule` says.
    ///
    /// - Throws: ``ArithmeticError/Code-swift.struct/divisionByZero`` when `denominator == 0`;
    ///   ``ArithmeticError/Code-swift.struct/overflow`` for `Int128.min / -1`.
    ///
    /// Complexity: one 128-by-64-bit division (`dividingFullWidth`) when the divisor is positive and below 2⁶⁴ and
    /// the quotient fits in 64 bits (a scale, a price, a size: the common case), or none for the scale 10⁸ itself
    /// (``divideByScale(high:low:)``); a 128-bit division otherwise.
    @inlinable
    public static func divide(
        _ numerator: Int128,
        by denominator: Int128,
        rounding rule: RoundingRule
    ) throws(ArithmeticError) -> Int128 {
        if denominator > 0, denominator <= Int128(UInt64.max) {
            let magnitude = numerator.magnitude
            let divisor = UInt64(truncatingIfNeeded: denominator)
            let high = UInt64(truncatingIfNeeded: magnitude &>> 64)
            if high < divisor {
                // |n| = q·d + r with 0 ≤ r < d; the exact quotient is ±(q + r/d).
                let low = UInt64(truncatingIfNeeded: magnitude)
                let (quotient, remainder) =
                    divisor == 100_000_000
                    ? divideByScale(high: high, low: low) : divisor.dividingFullWidth((high: high, low: low))
                return rounded(quotient, remainder, divisor, negative: numerator < 0, rule)
            }
        }
        return try divideWide(numerator, by: denominator, rounding: rule)
    }

    /// `(high·2⁶⁴ + low) / 10⁸` and its remainder, for `high < 10⁸` (so the quotient fits 64 bits), without a
    /// 128-bit division: `dividingFullWidth` compiles to a call of the 128-bit division routine, while every step
    /// here divides 64 bits by the constant 10⁸ (a multiplication). The scale is the most frequent divisor: every
    /// notional, value and rate product is scaled back by it.
    ///
    /// Since 2⁶⁴ = 184,467,440,737·10⁸ + 9,551,616, the quotient is `high·184,467,440,737 + ⌊s / 10⁸⌋` with
    /// `s = high·9,551,616 + low` (below 2⁶⁴ + 10¹⁵); when `s` carries past 2⁶⁴, that 2⁶⁴ is itself
    /// 184,467,440,737·10⁸ + 9,551,616 and the carried-out part is below 10¹⁵, so nothing overflows. Exact; no
    /// rounding (the caller rounds from the remainder).
    @inlinable @inline(__always)
    static func divideByScale(high: UInt64, low: UInt64) -> (quotient: UInt64, remainder: UInt64) {
        let (sum, carried) = (high &* 9_551_616).addingReportingOverflow(low)
        let rest = carried ? sum &+ 9_551_616 : sum
        let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: 100_000_000)
        return (high &* 184_467_440_737 &+ (carried ? 184_467_440_737 : 0) &+ quotient, remainder)
    }

    /// Whether a division whose exact quotient is `±(quotient + remainder / divisor)` (magnitudes, `remainder <
    /// divisor`; negative when `negative`) rounds its truncated quotient away from zero under `rule`.
    @inlinable @inline(__always)
    static func roundsAwayFromZero<T: FixedWidthInteger & UnsignedInteger>(
        _ rule: RoundingRule,
        negative: Bool,
        quotient: T,
        remainder: T,
        divisor: T
    ) -> Bool {
        guard remainder != 0 else { return false }
        switch rule {
        case .towardZero: return false
        case .down: return negative
        case .up: return !negative
        case .awayFromZero: return true
        case .halfEven:
            // 2·r against d without overflow (r < d, so d − r is safe); a tie goes to the even neighbour.
            let rest = divisor &- remainder
            return remainder > rest || (remainder == rest && quotient & 1 != 0)
        }
    }

    /// ``divide(_:by:rounding:)`` by a 128-bit division (any divisor, any quotient): the general path, kept callable
    /// on its own so tests compare the fast path with it.
    @usableFromInline
    static func divideWide(
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

    /// Computes `a · b / d` exactly, then rounds the single division as `rule` says.
    ///
    /// The product is formed in 128 bits; when it does not fit, in 256 bits (``multiplyDivideWide(_:_:_:rounding:)``),
    /// so the result is exact whenever the rounded quotient fits in 128 bits.
    ///
    /// - Throws: ``ArithmeticError`` when the quotient does not fit in 128 bits, or on a zero divisor.
    @inlinable
    public static func multiplyDivide(
        _ a: Int128,
        _ b: Int128,
        _ d: Int128,
        rounding rule: RoundingRule
    ) throws(ArithmeticError) -> Int128 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { return try multiplyDivideWide(a, b, d, rounding: rule) }
        return try divide(product, by: d, rounding: rule)
    }

    /// `a · b / 10⁸`: a product of two fixed-point values scaled back to the scale, rounded as `rule` says. Exactly
    /// ``multiplyDivide(_:_:_:rounding:)`` with `d = 10⁸` (same value, same errors), but always inlined, so at a call
    /// site the divisor and usually the rounding rule are constants: no call, no test of the divisor, one branch for
    /// the rule. The product of two 64-bit values always fits in 128 bits (`|a·b| ≤ 2¹²⁶`); the division is
    /// ``divideByScale(high:low:)`` when the quotient fits in 64 bits and ``divide(_:by:rounding:)`` otherwise.
    ///
    /// Every notional (`size × price`) and every rate product (`amount × rate`) goes through it.
    @inlinable @inline(__always)
    public static func scaledProduct(
        _ a: Int64,
        _ b: Int64,
        rounding rule: RoundingRule
    ) throws(ArithmeticError)
        -> Int128
    {
        let product = Int128(a) &* Int128(b)
        let magnitude = product.magnitude
        let high = UInt64(truncatingIfNeeded: magnitude &>> 64)
        guard high < 100_000_000 else {
            return try divide(product, by: FixedPointScale.wideFactor, rounding: rule)
        }
        let (quotient, remainder) = divideByScale(high: high, low: UInt64(truncatingIfNeeded: magnitude))
        return rounded(quotient, remainder, 100_000_000, negative: product < 0, rule)
    }

    /// The signed quotient `±(quotient + remainder / divisor)` (magnitudes, `remainder < divisor`) rounded as `rule`
    /// says: the last step of the 64-bit fast paths of ``divide(_:by:rounding:)`` and ``scaledProduct(_:_:rounding:)``.
    @inlinable @inline(__always)
    static func rounded(
        _ quotient: UInt64,
        _ remainder: UInt64,
        _ divisor: UInt64,
        negative: Bool,
        _ rule: RoundingRule
    ) -> Int128 {
        let awayFromZero = roundsAwayFromZero(
            rule,
            negative: negative,
            quotient: quotient,
            remainder: remainder,
            divisor: divisor
        )
        // ≤ 2⁶⁴, so it fits in Int128 (a truncating conversion: no checked-conversion call).
        let value = Int128(truncatingIfNeeded: UInt128(quotient) &+ (awayFromZero ? 1 : 0))
        return negative ? 0 &- value : value
    }

    /// `a · b / d` with the product in 256 bits (`|a| · |b|` as two `UInt128` halves), rounded as `rule` says: the
    /// slow path of ``multiplyDivide(_:_:_:rounding:)`` for products beyond 128 bits (for example an inverse
    /// contract's bankruptcy price `P · size · cv / (size · cv + E · P)` at extreme sizes), whose quotient may fit.
    ///
    /// - Throws: ``ArithmeticError/Code-swift.struct/divisionByZero`` when `d == 0`;
    ///   ``ArithmeticError/Code-swift.struct/overflow`` when the rounded quotient does not fit in `Int128`.
    @usableFromInline
    static func multiplyDivideWide(
        _ a: Int128,
        _ b: Int128,
        _ d: Int128,
        rounding rule: RoundingRule
    ) throws(ArithmeticError) -> Int128 {
        guard d != 0 else { throw ArithmeticError(.divisionByZero, "division by zero") }
        let product = a.magnitude.multipliedFullWidth(by: b.magnitude)
        let divisor = d.magnitude
        // The quotient fits in 128 bits only if the high half is below the divisor (dividingFullWidth's precondition).
        guard product.high < divisor else { throw ArithmeticError(.overflow, "128-bit quotient overflows") }
        let (quotient, remainder) = divisor.dividingFullWidth(product)
        // Sign of the exact quotient (a · b ≠ 0 here: the product overflowed).
        let negative = ((a < 0) != (b < 0)) != (d < 0)
        var magnitude = quotient
        if roundsAwayFromZero(rule, negative: negative, quotient: quotient, remainder: remainder, divisor: divisor) {
            guard magnitude < UInt128.max else { throw ArithmeticError(.overflow, "128-bit quotient overflows") }
            magnitude += 1
        }
        if negative {
            guard magnitude <= Int128.min.magnitude else {
                throw ArithmeticError(.overflow, "128-bit quotient overflows")
            }
            return Int128(truncatingIfNeeded: 0 &- magnitude)
        }
        guard magnitude <= Int128.max.magnitude else { throw ArithmeticError(.overflow, "128-bit quotient overflows") }
        return Int128(magnitude)
    }

    /// Narrows a 128-bit intermediate to 64-bit storage.
    ///
    /// - Throws: ``ArithmeticError/Code-swift.struct/overflow`` naming `field` when it does not fit.
    @inlinable @inline(__always)
    public static func narrow(_ value: Int128, field: String) throws(ArithmeticError) -> Int64 {
        let narrowed = Int64(truncatingIfNeeded: value)
        guard Int128(narrowed) == value else { throw narrowingOverflow(field) }
        return narrowed
    }

    /// The error of ``narrow(_:field:)``, built out of line (the check itself is inlined at every call site).
    @usableFromInline @inline(never)
    static func narrowingOverflow(_ field: String) -> ArithmeticError {
        ArithmeticError(.overflow, "\(field) overflows 64-bit fixed-point storage")
    }
}
