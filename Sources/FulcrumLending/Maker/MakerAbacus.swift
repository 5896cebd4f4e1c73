public import FulcrumCore

/// A Clipper price-decrease function (`abaci.sol`): the auction price after `elapsed` seconds from `top` (ray).
///
/// Each multiplication by a ray factor is `rmul` with floor (`x·y / RAY`), `rpow` squares half-up, as upstream.
public enum MakerAbacus: Sendable, Hashable {
    /// `LinearDecrease(tau)`: `top · (tau − dur) / tau`, zero from `tau` on.
    case linear(tau: UInt64)
    /// `StairstepExponentialDecrease(cut, step)`: `top ⊗ cut^⌊dur/step⌋` (`cut` ray ≤ 1).
    case stairstep(cut: UInt128, step: UInt64)
    /// `ExponentialDecrease(cut)`: `top ⊗ cut^dur` (`cut` ray ≤ 1).
    case exponential(cut: UInt128)

    /// The price (ray) `elapsed` seconds into an auction that started at `top`.
    public func price(top: UInt128, elapsed: UInt64) throws(ArithmeticError) -> UInt128 {
        switch self {
        case .linear(let tau):
            guard elapsed < tau else { return 0 }
            let factor = try WideMath.mulDiv(UInt128(tau - elapsed), WadRayMath.ray, UInt128(tau), rounding: .floor)
            return try WideMath.mulDiv(top, factor, WadRayMath.ray, rounding: .floor)
        case .stairstep(let cut, let step):
            guard step > 0 else { throw ArithmeticError(.divisionByZero, "stairstep step must be > 0") }
            let factor = try WadRayMath.rpow(cut, elapsed / step)  // floor: whole steps only
            return try WideMath.mulDiv(top, factor, WadRayMath.ray, rounding: .floor)
        case .exponential(let cut):
            let factor = try WadRayMath.rpow(cut, elapsed)
            return try WideMath.mulDiv(top, factor, WadRayMath.ray, rounding: .floor)
        }
    }
}
