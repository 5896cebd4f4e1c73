/// A decimal fixed-point number with 8 decimals stored in an `Int64` (`raw = value · 10⁸`).
///
/// Fulcrum's money, sizes, prices and rates are distinct types conforming to this protocol (``Price``,
/// ``Quantity``, ``Money``, ``Rate``, ``Leverage``), so the compiler checks units: a quantity times a price is
/// money, never a price. All of them share one scale, so converting between them is a relabelling, not a
/// rescaling. Products and quotients go through 128-bit intermediates (``FixedMath``) and name their rounding.
///
/// Range: ±92,233,720,368.54775807. Resolution: 10⁻⁸ (one satoshi for BTC quantities).
public protocol FixedPointNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The stored integer: the value times ``FixedPointScale/factor``.
    var raw: Int64 { get }
    /// Creates a value from its stored integer.
    init(raw: Int64)
    /// The name used in error messages ("price", "quantity", …).
    static var unitName: String { get }
}

/// The shared scale of every ``FixedPointNumber``.
public enum FixedPointScale {
    // Computed and inlinable, not stored: a stored `static let` is read through an addressor with a `swift_once`
    // check from other modules, on every fixed-point multiplication; a literal folds into the caller.
    /// Number of decimals kept.
    @inlinable public static var decimals: Int { 8 }
    /// `10^decimals`.
    @inlinable public static var factor: Int64 { 100_000_000 }
    /// `10^decimals` as a 128-bit integer for intermediates.
    @inlinable public static var wideFactor: Int128 { 100_000_000 }
}

extension FixedPointNumber {
    /// Zero.
    @inlinable public static var zero: Self { Self(raw: 0) }
    /// One unit (raw `10⁸`).
    @inlinable public static var one: Self { Self(raw: FixedPointScale.factor) }

    /// A whole number of units, e.g. `Price(units: 100)` is 100.
    ///
    /// - Throws: overflow when `units · 10⁸` does not fit.
    @inlinable
    public init(units: Int64) throws(ArithmeticError) {
        let (raw, overflow) = units.multipliedReportingOverflow(by: FixedPointScale.factor)
        guard !overflow else { throw ArithmeticError(.overflow, "\(Self.unitName) \(units) is out of range") }
        self.init(raw: raw)
    }

    /// Whether the value is negative.
    @inlinable public var isNegative: Bool { raw < 0 }
    /// Whether the value is zero.
    @inlinable public var isZero: Bool { raw == 0 }
    /// Whether the value is strictly positive.
    @inlinable public var isPositive: Bool { raw > 0 }
    /// The absolute value.
    @inlinable public var magnitude: Self { Self(raw: raw < 0 ? -raw : raw) }
    /// The value as a 128-bit raw integer (for exact intermediates and wide sums).
    @inlinable public var wide: Int128 { Int128(raw) }

    @inlinable public static func < (lhs: Self, rhs: Self) -> Bool { lhs.raw < rhs.raw }

    /// `lhs + rhs`, trapping on overflow. Use where bounds are already validated; see ``adding(_:)``.
    @inlinable public static func + (lhs: Self, rhs: Self) -> Self { Self(raw: lhs.raw + rhs.raw) }
    /// `lhs − rhs`, trapping on overflow. Use where bounds are already validated; see ``subtracting(_:)``.
    @inlinable public static func - (lhs: Self, rhs: Self) -> Self { Self(raw: lhs.raw - rhs.raw) }
    /// Negation, trapping only for `raw == Int64.min` (which parsing never produces).
    @inlinable public static prefix func - (value: Self) -> Self { Self(raw: -value.raw) }
    @inlinable public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
    @inlinable public static func -= (lhs: inout Self, rhs: Self) { lhs = lhs - rhs }

    /// `self + other`, reporting overflow as an error.
    @inlinable
    public func adding(_ other: Self) throws(ArithmeticError) -> Self {
        let (sum, overflow) = raw.addingReportingOverflow(other.raw)
        guard !overflow else { throw ArithmeticError(.overflow, "\(Self.unitName) \(self) + \(other) overflows") }
        return Self(raw: sum)
    }

    /// `self − other`, reporting overflow as an error.
    @inlinable
    public func subtracting(_ other: Self) throws(ArithmeticError) -> Self {
        let (difference, overflow) = raw.subtractingReportingOverflow(other.raw)
        guard !overflow else { throw ArithmeticError(.overflow, "\(Self.unitName) \(self) - \(other) overflows") }
        return Self(raw: difference)
    }

    /// The smaller of two values.
    @inlinable public static func minimum(_ a: Self, _ b: Self) -> Self { a.raw <= b.raw ? a : b }
    /// The larger of two values.
    @inlinable public static func maximum(_ a: Self, _ b: Self) -> Self { a.raw >= b.raw ? a : b }

    /// Multiplies by a whole number, reporting overflow.
    @inlinable
    public func times(_ count: Int64) throws(ArithmeticError) -> Self {
        let (product, overflow) = raw.multipliedReportingOverflow(by: count)
        guard !overflow else { throw ArithmeticError(.overflow, "\(Self.unitName) \(self) × \(count) overflows") }
        return Self(raw: product)
    }

    /// Divides by a whole number with a named rounding.
    @inlinable
    public func divided(by count: Int64, rounding rule: RoundingRule) throws(ArithmeticError) -> Self {
        let q = try FixedMath.divide(wide, by: Int128(count), rounding: rule)
        return Self(raw: try FixedMath.narrow(q, field: Self.unitName))
    }

    /// Rounds to a multiple of `increment` (a tick or step) with a named rounding.
    ///
    /// - Throws: ``ArithmeticError/Code-swift.struct/outOfRange`` when `increment` is not positive.
    @inlinable
    public func rounded(toMultipleOf increment: Self, rounding rule: RoundingRule) throws(ArithmeticError) -> Self {
        guard increment.raw > 0 else {
            throw ArithmeticError(.outOfRange, "\(Self.unitName) increment \(increment) must be positive")
        }
        let count = try FixedMath.divide(wide, by: increment.wide, rounding: rule)
        return Self(raw: try FixedMath.narrow(count * increment.wide, field: Self.unitName))
    }

    /// Checks that the value is a whole multiple of `increment` (a market's tick or step).
    ///
    /// - Parameter field: the name to use in the error message.
    /// - Throws: ``ArithmeticError/Code-swift.struct/precisionExceeded`` naming the field, value and increment.
    @inlinable
    public func validate(multipleOf increment: Self, field: String) throws(ArithmeticError) {
        guard increment.raw > 0 else { return }
        guard raw % increment.raw == 0 else {
            throw ArithmeticError(
                .precisionExceeded,
                "\(field) \(self) is not a multiple of \(increment)"
            )
        }
    }

    /// Reinterprets the value as another fixed-point type with the same raw integer (same scale).
    ///
    /// Use only where the domain says the units coincide (e.g. a rate read as a plain ratio).
    @inlinable public func relabelled<Other: FixedPointNumber>(as _: Other.Type = Other.self) -> Other {
        Other(raw: raw)
    }
}
