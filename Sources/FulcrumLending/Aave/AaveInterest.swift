public import FulcrumCore

/// Aave's index growth: linear for the liquidity index, compounded (approximated) for the borrow index.
///
/// `SECONDS_PER_YEAR = 365 days`. Rates and results are ray. Sources: `MathUtils.sol` in aave/aave-v3-core (binomial)
/// and aave-dao/aave-v3-origin (v3.4+ Taylor).
public enum AaveInterest {
    /// `RAY + rate · Δt / SECONDS_PER_YEAR` (floor, as `calculateLinearInterest`).
    public static func linear(rate: UInt128, seconds: UInt64) throws(ArithmeticError) -> UInt128 {
        let growth = try WideMath.mulDiv(
            rate,
            UInt128(seconds),
            WadRayMath.secondsPerYear,
            rounding: .floor,
            field: "linearInterest"
        )
        return try WideMath.add(WadRayMath.ray, growth, field: "linearInterest")
    }

    /// v3.0–v3.3 binomial approximation of `(1 + r/N)ⁿ`, three terms (aave/aave-v3-core `MathUtils.sol`):
    /// `RAY + r·n/N + n(n−1)·b₂/2 + n(n−1)(n−2)·b₃/6` with `b₂ = rayMul(r, r)/N²`, `b₃ = rayMul(b₂, r)/N`
    /// (rayMul half-up, every `/` floor). Under-accrues versus continuous compounding (favours borrowers).
    public static func binomial(rate: UInt128, seconds: UInt64) throws(ArithmeticError) -> UInt128 {
        if seconds == 0 { return WadRayMath.ray }
        // Aave stores timestamps in uint40; bounding Δt to 2⁴⁰ keeps n³ < 2¹²⁰ (no overflow below).
        guard seconds < 1 << 40 else { throw ArithmeticError(.outOfRange, "elapsed \(seconds) s exceeds 2^40") }
        let n = UInt128(seconds)
        let nMinusOne = n - 1
        let nMinusTwo = n > 2 ? n - 2 : 0
        let year = WadRayMath.secondsPerYear
        let power2 = try WadRayMath.rayMul(rate, rate) / (year * year)  // floor, as upstream
        let power3 = try WadRayMath.rayMul(power2, rate) / year  // floor, as upstream
        let second = try UInt256.product(n * nMinusOne, power2).divided(by: 2, rounding: .floor)
            .narrowed(field: "compoundedInterest")
        let third = try UInt256.product(n * nMinusOne * nMinusTwo, power3).divided(by: 6, rounding: .floor)
            .narrowed(field: "compoundedInterest")
        let first = try WideMath.mulDiv(rate, n, year, rounding: .floor, field: "compoundedInterest")
        var total = try WideMath.add(WadRayMath.ray, first, field: "compoundedInterest")
        total = try WideMath.add(total, second, field: "compoundedInterest")
        return try WideMath.add(total, third, field: "compoundedInterest")
    }

    /// v3.4+ Taylor expansion of `eˣ`, `x = r·Δt/N` (floor): `RAY + x + x ⊗ (x/2 + x ⊗ (x/6))` (⊗ = rayMul half-up).
    public static func taylor(rate: UInt128, seconds: UInt64) throws(ArithmeticError) -> UInt128 {
        if seconds == 0 { return WadRayMath.ray }
        let x = try WideMath.mulDiv(
            rate,
            UInt128(seconds),
            WadRayMath.secondsPerYear,
            rounding: .floor,
            field: "compoundedInterest"
        )
        let inner = try WideMath.add(x / 2, try WadRayMath.rayMul(x, x / 6), field: "compoundedInterest")
        let tail = try WadRayMath.rayMul(x, inner)
        return try WideMath.add(try WideMath.add(WadRayMath.ray, x, field: "compoundedInterest"), tail)
    }

    /// The compounding formula of `version`.
    public static func compounded(
        rate: UInt128,
        seconds: UInt64,
        version: AaveVersion
    ) throws(ArithmeticError) -> UInt128 {
        version.taylorCompounding
            ? try taylor(rate: rate, seconds: seconds) : try binomial(rate: rate, seconds: seconds)
    }
}
