public import FulcrumCore
import FulcrumLab
import RealModule

/// Monte Carlo estimate of the probability that a price path touches a liquidation barrier within a horizon.
///
/// Each path `k` draws from its own generator `LabRandom(seed:stream: k)`, so results depend only on the seed and
/// the path count, never on scheduling. Continuous monitoring is recovered with the Brownian-bridge crossing
/// probability between steps, `exp(−2(xᵢ − b)(xᵢ₊₁ − b)/(σ²Δt))` (Glasserman, *Monte Carlo Methods in Financial
/// Engineering*, §6.4), so the GBM estimate is unbiased against the closed form, not only as `Δt → 0`.
public enum LiquidationMonteCarlo {
    /// The estimate and its 99 % Wilson score interval.
    public struct Estimate: Sendable, Hashable {
        /// Paths that touched the barrier.
        public var hits: Int
        /// Paths simulated.
        public var paths: Int
        /// `hits ÷ paths`.
        public var probability: Double
        /// Lower end of the 99 % interval.
        public var lower99: Double
        /// Upper end of the 99 % interval.
        public var upper99: Double
    }

    /// z for a two-sided 99 % interval.
    public static let z99 = 2.575_829_303_548_901

    /// Runs the simulation.
    ///
    /// - Parameters:
    ///   - barrier: the liquidation price relative to the start, `L ÷ S₀` (below 1 for a long, above for a short).
    ///   - steps: time steps per path (GARCH uses its own step length and ignores this).
    /// - Throws: ``AnalyticsError`` for a non-positive barrier, horizon, step or path count.
    public static func estimate(
        model: PriceModel,
        side: PositionSide,
        barrier: Double,
        horizonYears: Double,
        steps: Int,
        paths: Int,
        seed: UInt64
    ) throws(AnalyticsError) -> Estimate {
        guard barrier > 0, barrier.isFinite else { throw AnalyticsError("barrier \(barrier) must be positive") }
        guard horizonYears > 0, horizonYears.isFinite else {
            throw AnalyticsError("horizon \(horizonYears) years must be positive")
        }
        guard steps > 0 else { throw AnalyticsError("steps \(steps) must be positive") }
        guard paths > 0 else { throw AnalyticsError("paths \(paths) must be positive") }
        let b = Double.log(barrier)
        let sign: Double = side == .long ? 1 : -1  // work with y = sign·x so the barrier is always below
        let by = sign * b
        if by >= 0 { return Estimate(hits: paths, paths: paths, probability: 1, lower99: 1, upper99: 1) }
        var hits = 0
        for k in 0..<paths {
            var rng = LabRandom(seed: seed, stream: UInt64(k))
            if simulatePath(model: model, sign: sign, by: by, horizonYears: horizonYears, steps: steps, rng: &rng) {
                hits += 1
            }
        }
        let (lower, upper) = wilson(hits: hits, paths: paths, z: z99)
        return Estimate(
            hits: hits,
            paths: paths,
            probability: Double(hits) / Double(paths),
            lower99: lower,
            upper99: upper
        )
    }

    /// The Wilson score interval for `hits` successes in `paths` trials.
    public static func wilson(hits: Int, paths: Int, z: Double) -> (Double, Double) {
        let n = Double(paths)
        let p = Double(hits) / n
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
        return (max(0, centre - half), min(1, centre + half))
    }

    /// One path in `y = sign·ln(S/S₀)` coordinates (barrier `by < 0` below); true when it touches.
    private static func simulatePath(
        model: PriceModel,
        sign: Double,
        by: Double,
        horizonYears: Double,
        steps: Int,
        rng: inout LabRandom
    ) -> Bool {
        var y = 0.0
        switch model {
        case .gbm(let sigma, let mu):
            let dt = horizonYears / Double(steps)
            let nu = (mu - sigma * sigma / 2) * dt * sign
            let s = sigma * dt.squareRoot()
            let variance = s * s
            for _ in 0..<steps {
                let next = y + nu + s * rng.nextGaussian()
                if crosses(from: y, to: next, barrier: by, variance: variance, rng: &rng) { return true }
                y = next
            }
        case .jump(let sigma, let mu, let lambda, let jumpMean, let jumpVol):
            let dt = horizonYears / Double(steps)
            let kappa = Double.exp(jumpMean + jumpVol * jumpVol / 2) - 1
            let nu = (mu - sigma * sigma / 2 - lambda * kappa) * dt * sign
            let s = sigma * dt.squareRoot()
            let variance = s * s
            for _ in 0..<steps {
                var next = y + nu + s * rng.nextGaussian()
                if crosses(from: y, to: next, barrier: by, variance: variance, rng: &rng) { return true }
                let count = rng.nextPoisson(mean: lambda * dt)
                for _ in 0..<count { next += sign * (jumpMean + jumpVol * rng.nextGaussian()) }
                if next <= by { return true }  // a jump is placed at the end of its step
                y = next
            }
        case .garch(let omega, let alpha, let beta, let initialVariance, let mu, let stepYears):
            let garchSteps = max(1, Int((horizonYears / stepYears).rounded(.up)))
            var h = initialVariance
            for _ in 0..<garchSteps {
                let shock = h.squareRoot() * rng.nextGaussian()
                let next = y + sign * ((mu * stepYears - h / 2) + shock)
                if crosses(from: y, to: next, barrier: by, variance: h, rng: &rng) { return true }
                h = omega + alpha * shock * shock + beta * h
                y = next
            }
        }
        return false
    }

    /// Whether a step from `y` to `next` touches `barrier` (below both ends or via the bridge).
    @inline(__always)
    private static func crosses(
        from y: Double,
        to next: Double,
        barrier: Double,
        variance: Double,
        rng: inout LabRandom
    ) -> Bool {
        if next <= barrier { return true }
        guard variance > 0 else { return false }
        let p = Double.exp(-2 * (y - barrier) * (next - barrier) / variance)
        return rng.nextUnit() < p
    }
}
