import RealModule

/// Draws a ``PriceModel``'s log returns one step at a time, with each step's diffusion variance and jump part.
///
/// The lab's ``PriceModel/logReturns(steps:random:)`` and the analytics' liquidation Monte Carlo both draw through
/// this type, so there is one definition of each model's dynamics. Draws happen in a fixed order per step
/// (diffusion Gaussian, then the Poisson count, then each jump's Gaussian), so a seed gives the same returns whoever
/// asks.
public struct PriceStepSampler: Sendable {
    /// The stochastic part of the model, with its per-step state.
    enum Kernel: Sendable {
        case flat
        case gbm(mean: Double, volatility: Double)
        case merton(mean: Double, volatility: Double, intensity: Double, jumpMean: Double, jumpVolatility: Double)
        case garch(drift: Double, omega: Double, alpha: Double, beta: Double, variance: Double)
        case replay(returns: [Double])
    }

    var kernel: Kernel
    /// Deterministic moves `(log size, step)`, applied in order after the kernel's return (innermost first).
    var shocks: [(logSize: Double, atStep: Int)]
    /// The next step's index.
    public private(set) var step = 0

    /// Prepares a sampler for `model`.
    ///
    /// - Parameter initialVariance: for GARCH, the conditional variance of the first step (for example the last
    ///   fitted variance of a calibration); `nil` starts at the unconditional variance `ω / (1 − α − β)`. Ignored by
    ///   the other models.
    /// - Throws: ``LabError`` naming the parameter when the model is ill-posed (negative volatility, a GARCH with
    ///   `α + β ≥ 1`, a non-positive replay price, a shock of −100 % or more).
    public init(model: PriceModel, initialVariance: Double? = nil) throws(LabError) {
        var shocks: [(logSize: Double, atStep: Int)] = []
        var base = model
        var outer: [(Double, Int)] = []
        while case .shocked(let inner, let fraction, let atStep) = base {
            guard fraction > -1 else { throw LabError("shock \(fraction) must be above -1 (-100 %)") }
            outer.append((Double.log(onePlus: fraction), atStep))
            base = inner
        }
        switch base {
        case .instantShock(let fraction, let atStep):
            guard fraction > -1 else { throw LabError("shock \(fraction) must be above -1 (-100 %)") }
            kernel = .flat
            shocks.append((Double.log(onePlus: fraction), atStep))
        case .gbm(let drift, let volatility):
            guard volatility >= 0, volatility.isFinite else { throw LabError("volatility \(volatility) must be ≥ 0") }
            kernel = .gbm(mean: drift - volatility * volatility / 2, volatility: volatility)
        case .merton(let drift, let volatility, let intensity, let jumpMean, let jumpVolatility):
            guard volatility >= 0 else { throw LabError("volatility \(volatility) must be ≥ 0") }
            guard intensity >= 0 else { throw LabError("jumpIntensity \(intensity) must be ≥ 0") }
            guard jumpVolatility >= 0 else { throw LabError("jumpVolatility \(jumpVolatility) must be ≥ 0") }
            // Compensator: E[e^J] − 1 = exp(m + s²/2) − 1 per jump.
            let kappa = Double.exp(jumpMean + jumpVolatility * jumpVolatility / 2) - 1
            kernel = .merton(
                mean: drift - volatility * volatility / 2 - intensity * kappa,
                volatility: volatility,
                intensity: intensity,
                jumpMean: jumpMean,
                jumpVolatility: jumpVolatility
            )
        case .garch(let drift, let omega, let alpha, let beta):
            guard omega > 0 else { throw LabError("garch omega \(omega) must be > 0") }
            guard alpha >= 0, beta >= 0, alpha + beta < 1 else {
                throw LabError("garch alpha + beta \(alpha + beta) must be in [0, 1)")
            }
            let start = initialVariance ?? omega / (1 - alpha - beta)
            guard start >= 0, start.isFinite else { throw LabError("garch initial variance \(start) must be ≥ 0") }
            kernel = .garch(drift: drift, omega: omega, alpha: alpha, beta: beta, variance: start)
        case .replay(let prices):
            for (index, price) in prices.enumerated() where !(price > 0 && price.isFinite) {
                throw LabError("replay price \(price) at row \(index) must be positive")
            }
            kernel = .replay(returns: prices.indices.dropLast().map { Double.log(prices[$0 + 1] / prices[$0]) })
        case .shocked:
            kernel = .flat  // not reached: the loop above unwraps every shock
        }
        shocks.append(contentsOf: outer.reversed().map { (logSize: $0.0, atStep: $0.1) })
        self.shocks = shocks
    }

    /// Draws the next step.
    ///
    /// - Returns: the step's total log return; the variance of its diffusion part (0 for deterministic models; the
    ///   Brownian-bridge crossing correction uses it); and its jump part (Merton jumps plus any instant shock), which
    ///   is included in `logReturn` and happens at the end of the step.
    public mutating func next(random: inout LabRandom) -> (logReturn: Double, variance: Double, jump: Double) {
        var r = 0.0
        var variance = 0.0
        var jump = 0.0
        switch kernel {
        case .flat:
            break
        case .gbm(let mean, let volatility):
            r = mean + volatility * random.nextGaussian()
            variance = volatility * volatility
        case .merton(let mean, let volatility, let intensity, let jumpMean, let jumpVolatility):
            r = mean + volatility * random.nextGaussian()
            variance = volatility * volatility
            let jumps = random.nextPoisson(mean: intensity)
            for _ in 0..<jumps {
                let size = jumpMean + jumpVolatility * random.nextGaussian()
                r += size
                jump += size
            }
        case .garch(let drift, let omega, let alpha, let beta, let h):
            let epsilon = Double.sqrt(h) * random.nextGaussian()
            r = drift + epsilon
            variance = h
            kernel = .garch(
                drift: drift,
                omega: omega,
                alpha: alpha,
                beta: beta,
                variance: omega + alpha * epsilon * epsilon + beta * h
            )
        case .replay(let returns):
            if step < returns.count { r = returns[step] }
        }
        for shock in shocks where shock.atStep == step {
            r += shock.logSize
            jump += shock.logSize
        }
        step += 1
        return (r, variance, jump)
    }
}
