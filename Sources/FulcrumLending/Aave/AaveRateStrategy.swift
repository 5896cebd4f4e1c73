public import FulcrumCore

/// Aave's default interest-rate strategy: optimal utilization and two slopes (all rates annual, in ray).
///
/// `U = debt ⨸ (available + debt)` (rayDiv, half-up); below `Uopt`: `r = base + slope1 ⊗ U ⨸ Uopt`; above:
/// `r = base + slope1 + slope2 ⊗ (U − Uopt) ⨸ (RAY − Uopt)`; supply rate `= (r ⊗ U) · (1 − reserveFactor)`
/// (percentMul, half-up). Source: `DefaultReserveInterestRateStrategyV2.sol` (aave-v3-origin).
public struct AaveRateStrategy: Sendable, Hashable {
    /// Optimal utilization (ray).
    public var optimalUsage: UInt128
    /// Base variable rate (ray, annual).
    public var baseRate: UInt128
    /// Slope below the optimum (ray, annual).
    public var slope1: UInt128
    /// Slope above the optimum (ray, annual).
    public var slope2: UInt128

    /// Creates a strategy from basis points (the v3.1+ storage unit: 1 bp = 10²³ ray).
    ///
    /// - Throws: ``LendingError`` when `optimalUsage` is outside 1%–99% or `slope1 > slope2`.
    public init(optimalUsageBps: UInt128, baseBps: UInt128, slope1Bps: UInt128, slope2Bps: UInt128) throws {
        guard optimalUsageBps >= 100, optimalUsageBps <= 9_900 else {
            throw LendingError("InvalidOptimalUsageRatio", "optimalUsage \(optimalUsageBps) bps is outside 100...9900")
        }
        guard slope1Bps <= slope2Bps else {
            throw LendingError("Slope2MustBeGteSlope1", "slope1 \(slope1Bps) bps > slope2 \(slope2Bps) bps")
        }
        let bp: UInt128 = 100_000_000_000_000_000_000_000  // 10²³: 1 bp in ray.
        // Bounded above (≤ 10⁴ · 10²³ per field after the checks a caller can reach), so no overflow.
        optimalUsage = optimalUsageBps * bp
        baseRate = baseBps * bp
        slope1 = slope1Bps * bp
        slope2 = slope2Bps * bp
    }

    /// The (supply, variable borrow) rates for a reserve's state.
    ///
    /// - Parameters:
    ///   - debt: total variable debt (token units).
    ///   - available: liquidity available to borrow (token units).
    ///   - deficit: unbacked deficit counted in the supply-side utilization (v3.3+; pass 0 for v3.0).
    ///   - reserveFactorBps: share of interest kept by the treasury.
    public func rates(
        debt: UInt128,
        available: UInt128,
        deficit: UInt128,
        reserveFactorBps: UInt128
    ) throws(ArithmeticError) -> (supply: UInt128, borrow: UInt128) {
        if debt == 0 { return (0, baseRate) }
        let total = try WideMath.add(available, debt, field: "liquidity")
        let usage = try WadRayMath.rayDiv(debt, total)  // half-up, as upstream
        let supplyUsage = try WadRayMath.rayDiv(debt, try WideMath.add(total, deficit, field: "liquidity"))
        var borrow = baseRate
        if usage > optimalUsage {
            let excess = try WadRayMath.rayDiv(usage - optimalUsage, WadRayMath.ray - optimalUsage)
            borrow = try WideMath.add(borrow, slope1 + (try WadRayMath.rayMul(slope2, excess)), field: "rate")
        } else {
            let part = try WadRayMath.rayDiv(try WadRayMath.rayMul(slope1, usage), optimalUsage)
            borrow = try WideMath.add(borrow, part, field: "rate")
        }
        let gross = try WadRayMath.rayMul(borrow, supplyUsage)
        let supply = try WadRayMath.percentMul(gross, WadRayMath.percentageFactor - reserveFactorBps)
        return (supply, borrow)
    }
}
