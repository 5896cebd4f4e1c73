public import FulcrumCore

/// Aave's fixed-point kernels: WAD (10¹⁸), RAY (10²⁷) and percentages in basis points (10⁴ = 100%).
///
/// `rayMul(a, b) = a·b / RAY`, `rayDiv(a, b) = a·RAY / b`, `percentMul(v, p) = v·p / 10⁴`,
/// `percentDiv(v, p) = v·10⁴ / p`, each with a named rounding. Aave ≤ v3.4 rounds half-up everywhere
/// (`WadRayMath.sol`, `PercentageMath.sol`); v3.5+ adds floor/ceil variants chosen to favour the protocol.
/// Products are exact (256-bit intermediate); a quotient beyond 128 bits is an overflow error.
public enum WadRayMath {
    /// 10¹⁸.
    public static let wad: UInt128 = 1_000_000_000_000_000_000
    /// 10²⁷.
    public static let ray: UInt128 = 1_000_000_000_000_000_000_000_000_000
    /// 10⁴ = 100% in basis points.
    public static let percentageFactor: UInt128 = 10_000
    /// 365 days in seconds (Aave, Compound III, Morpho).
    public static let secondsPerYear: UInt128 = 31_536_000

    /// `a · b / RAY`.
    public static func rayMul(
        _ a: UInt128,
        _ b: UInt128,
        _ r: ProtocolRounding = .halfUp
    ) throws(ArithmeticError)
        -> UInt128
    { try WideMath.mulDiv(a, b, ray, rounding: r, field: "rayMul") }

    /// `a · RAY / b`.
    public static func rayDiv(
        _ a: UInt128,
        _ b: UInt128,
        _ r: ProtocolRounding = .halfUp
    ) throws(ArithmeticError)
        -> UInt128
    { try WideMath.mulDiv(a, ray, b, rounding: r, field: "rayDiv") }

    /// `a · b / WAD`.
    public static func wadMul(
        _ a: UInt128,
        _ b: UInt128,
        _ r: ProtocolRounding = .halfUp
    ) throws(ArithmeticError)
        -> UInt128
    { try WideMath.mulDiv(a, b, wad, rounding: r, field: "wadMul") }

    /// `a · WAD / b`.
    public static func wadDiv(
        _ a: UInt128,
        _ b: UInt128,
        _ r: ProtocolRounding = .halfUp
    ) throws(ArithmeticError)
        -> UInt128
    { try WideMath.mulDiv(a, wad, b, rounding: r, field: "wadDiv") }

    /// `value · bps / 10⁴`.
    public static func percentMul(
        _ value: UInt128,
        _ bps: UInt128,
        _ r: ProtocolRounding = .halfUp
    ) throws(ArithmeticError) -> UInt128 {
        try WideMath.mulDiv(value, bps, percentageFactor, rounding: r, field: "percentMul")
    }

    /// `value · 10⁴ / bps`.
    public static func percentDiv(
        _ value: UInt128,
        _ bps: UInt128,
        _ r: ProtocolRounding = .halfUp
    ) throws(ArithmeticError) -> UInt128 {
        try WideMath.mulDiv(value, percentageFactor, bps, rounding: r, field: "percentDiv")
    }

    /// Exact ray exponentiation by squaring with half-up rounding at each step (Maker's `rpow(x, n, RAY)`).
    ///
    /// `rpow(x, 0) = RAY`; `rpow(0, n>0) = 0`. Each squaring is `(x·x + RAY/2) / RAY` as in `jug.sol`/`abaci.sol`.
    public static func rpow(_ x: UInt128, _ n: UInt64) throws(ArithmeticError) -> UInt128 {
        if x == 0 { return n == 0 ? ray : 0 }
        var z: UInt128 = n % 2 == 1 ? x : ray
        var base = x
        var k = n / 2
        while k > 0 {
            base = try rayMul(base, base, .halfUp)
            if k % 2 == 1 { z = try rayMul(z, base, .halfUp) }
            k /= 2
        }
        return z
    }
}
