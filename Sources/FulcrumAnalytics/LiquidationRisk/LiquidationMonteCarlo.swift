public import FulcrumCore
public import FulcrumLab
import RealModule

/// Monte Carlo estimate of the probability that a price path touches a liquidation barrier within a horizon.
///
/// The dynamics are the lab's ``FulcrumLab/PriceModel`` drawn through ``FulcrumLab/PriceStepSampler``. Each path `k` draws from its own generator `LabRandom(seed:stream: k)`, so results depend only on the seed and
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

    /// Runs the simulation on the lab's per-step model (see ``FulcrumLab/PriceModel/annualisedGBM(volatility:drift:stepYears:)``
    /// and its siblings for annualised parameters).
    ///
    /// - Parameters:
    ///   - model: the per-step price model; each path draws `steps` steps from its own ``PriceStepSampler``.
    ///   - initialVariance: GARCH's first conditional variance (`nil`: the unconditional one).
    ///   - barrier: the liquidation price relative to the start, `L ÷ S₀` (below 1 for a long, above for a short).
    ///   - steps: time steps per path.
    /// - Throws: ``AnalyticsError`` for a non-positive barrier, step or path count, or an ill-posed model.
    public static func estimate(
        model: PriceModel,
        initialVariance: Double? = nil,
        side: PositionSide,
        barrier: Double,
        steps: Int,
        paths: Int,
        seed: UInt64
    ) throws(AnalyticsError) -> Estimate {
        guard barrier > 0, barrier.isFinite else { throw AnalyticsError("barrier \(barrier) must be positive") }
        guard steps > 0 else { throw AnalyticsError("steps \(steps) must be positive") }
        guard paths > 0 else { throw AnalyticsError("paths \(paths) must be positive") }
        let template: PriceStepSampler
        do { template = try PriceStepSampler(model: model, initialVariance: initialVariance) } catch {
            throw AnalyticsError("price model: \(error)")
        }
        let b = Double.log(barrier)
        let sign: Double = side == .long ? 1 : -1  // work with y = sign·x so the barrier is always below
        let by = sign * b
        if by >= 0 { return Estimate(hits: paths, paths: paths, probability: 1, lower99: 1, upper99: 1) }
        var hits = 0
        for k in 0..<paths {
            var rng = LabRandom(seed: seed, stream: UInt64(k))
            var sampler = template
            if simulatePath(sampler: &sampler, sign: sign, by: by, steps: steps, rng: &rng) { hits += 1 }
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

    /// One path in `y = sign·ln(S/S₀)` coordinates (barrier `by < 0` below); true when it touches. The diffusion
    /// part of each step is monitored continuously through the bridge; its jump part lands at the end of the step.
    private static func simulatePath(
        sampler: inout PriceStepSampler,
        sign: Double,
        by: Double,
        steps: Int,
        rng: inout LabRandom
    ) -> Bool {
        var y = 0.0
        for _ in 0..<steps {
            let draw = sampler.next(random: &rng)
            var next = y + sign * (draw.logReturn - draw.jump)
            if crosses(from: y, to: next, barrier: by, variance: draw.variance, rng: &rng) { return true }
            if draw.jump != 0 {
                next += sign * draw.jump
                if next <= by { return true }
            }
            y = next
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
