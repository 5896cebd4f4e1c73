public import FulcrumCore

/// A minimal unsigned 256-bit integer for the protocols' wide intermediates (ray × ray, rad = wad × ray).
///
/// Only what the lending math needs: exact products of two 128-bit values, addition, subtraction, comparison and
/// division by a 128-bit divisor with a named rounding. Every operation reports overflow as ``ArithmeticError``;
/// nothing traps. Range: 0 … 2²⁵⁶ − 1 (≈ 1.16·10⁷⁷), enough for Maker's rad (10⁴⁵) times a wad (10¹⁸).
public struct UInt256: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The upper 128 bits.
    public var high: UInt128
    /// The lower 128 bits.
    public var low: UInt128

    /// Creates a value from its two halves.
    public init(high: UInt128, low: UInt128) {
        self.high = high
        self.low = low
    }

    /// Widens a 128-bit value.
    public init(_ value: UInt128) {
        high = 0
        low = value
    }

    /// Zero.
    public static let zero = UInt256(0)

    /// The exact product of two 128-bit values.
    public static func product(_ a: UInt128, _ b: UInt128) -> UInt256 {
        let (h, l) = a.multipliedFullWidth(by: b)
        return UInt256(high: h, low: l)
    }

    public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    /// `self + other`, reporting overflow.
    public func adding(_ other: UInt256) throws(ArithmeticError) -> UInt256 {
        let (l, carry) = low.addingReportingOverflow(other.low)
        let (h1, o1) = high.addingReportingOverflow(other.high)
        let (h2, o2) = h1.addingReportingOverflow(carry ? 1 : 0)
        guard !o1, !o2 else { throw ArithmeticError(.overflow, "256-bit sum overflows") }
        return UInt256(high: h2, low: l)
    }

    /// `self − other`, reporting underflow as an out-of-range error.
    public func subtracting(_ other: UInt256) throws(ArithmeticError) -> UInt256 {
        guard other <= self else { throw ArithmeticError(.outOfRange, "256-bit difference is negative") }
        let (l, borrow) = low.subtractingReportingOverflow(other.low)
        // Cannot underflow: other ≤ self was checked above.
        return UInt256(high: high - other.high - (borrow ? 1 : 0), low: l)
    }

    /// `self × factor`, reporting overflow.
    public func multiplied(by factor: UInt128) throws(ArithmeticError) -> UInt256 {
        let lowProduct = UInt256.product(low, factor)
        let (hh, hl) = high.multipliedFullWidth(by: factor)
        guard hh == 0 else { throw ArithmeticError(.overflow, "256-bit product overflows") }
        let (h, o) = lowProduct.high.addingReportingOverflow(hl)
        guard !o else { throw ArithmeticError(.overflow, "256-bit product overflows") }
        return UInt256(high: h, low: lowProduct.low)
    }

    /// Quotient and remainder of a division by a 128-bit divisor (long division in two 128-bit limbs).
    public func quotientAndRemainder(
        dividingBy divisor: UInt128
    ) throws(ArithmeticError) -> (quotient: UInt256, remainder: UInt128) {
        guard divisor != 0 else { throw ArithmeticError(.divisionByZero, "division by zero") }
        let qHigh = high / divisor
        let rHigh = high % divisor
        // rHigh < divisor, so the 256-by-128 step cannot overflow.
        let (qLow, r) = divisor.dividingFullWidth((high: rHigh, low: low))
        return (UInt256(high: qHigh, low: qLow), r)
    }

    /// `self ÷ divisor` with a named rounding.
    public func divided(by divisor: UInt128, rounding: ProtocolRounding) throws(ArithmeticError) -> UInt256 {
        let (q, r) = try quotientAndRemainder(dividingBy: divisor)
        guard r != 0 else { return q }
        switch rounding {
        case .floor:
            return q
        case .ceil:
            return try q.adding(UInt256(1))
        case .halfUp:
            // Round up when r ≥ divisor − r (i.e. 2r ≥ divisor), written without overflowing 2r.
            return r >= divisor - r ? try q.adding(UInt256(1)) : q
        }
    }

    /// The value as 128 bits, or an overflow error naming `field`.
    public func narrowed(field: String) throws(ArithmeticError) -> UInt128 {
        guard high == 0 else { throw ArithmeticError(.overflow, "\(field) overflows 128 bits") }
        return low
    }

    public var description: String {
        if high == 0 { return String(low) }
        var digits: [Character] = []
        var value = self
        let ten19: UInt128 = 10_000_000_000_000_000_000
        while value.high != 0 || value.low != 0 {
            // Division by a non-zero constant cannot fail.
            guard let (q, r) = try? value.quotientAndRemainder(dividingBy: ten19) else { break }
            var chunk = String(r)
            if q.high != 0 || q.low != 0 { chunk = String(repeating: "0", count: 19 - chunk.count) + chunk }
            digits.insert(contentsOf: chunk, at: 0)
            value = q
        }
        return String(digits)
    }
}
