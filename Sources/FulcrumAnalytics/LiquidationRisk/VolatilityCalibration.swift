import RealModule

/// Model parameters estimated from a price series' log returns (statistics: Double).
public struct VolatilityCalibration: Sendable, Hashable {
    /// Annualised volatility of all returns.
    public var volatility: Double
    /// Annualised volatility of the returns that are not jumps.
    public var diffusionVolatility: Double
    /// Jumps per year (returns beyond 5 robust standard deviations).
    public var jumpIntensity: Double
    /// Mean log size of a jump.
    public var jumpMean: Double
    /// Standard deviation of the log size of a jump.
    public var jumpVolatility: Double
    /// GARCH(1,1) per-step parameters (variance targeting, grid maximum likelihood on α, β).
    public var garchOmega: Double
    /// GARCH α.
    public var garchAlpha: Double
    /// GARCH β.
    public var garchBeta: Double
    /// The filtered conditional variance after the last return (per step), the start of a forecast.
    public var garchLastVariance: Double
    /// Length of one sample step in years.
    public var stepYears: Double
    /// Returns used.
    public var returns: Int

    /// Calibrates from log returns sampled every `stepYears`.
    ///
    /// - Throws: ``AnalyticsError`` with fewer than 30 returns or a non-positive step.
    public init(logReturns r: [Double], stepYears: Double) throws(AnalyticsError) {
        guard r.count >= 30 else { throw AnalyticsError("calibration: \(r.count) returns; at least 30 are needed") }
        guard stepYears > 0 else { throw AnalyticsError("calibration step \(stepYears) years must be positive") }
        let n = Double(r.count)
        let mean = r.reduce(0, +) / n
        let variance = r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        volatility = (variance / stepYears).squareRoot()
        // Robust scale: 1.4826 × median absolute deviation.
        let sorted = r.sorted()
        let median = sorted[sorted.count / 2]
        let deviations = r.map { abs($0 - median) }.sorted()
        let robust = 1.4826 * deviations[deviations.count / 2]
        let threshold = 5 * max(robust, 1e-12)
        var jumps: [Double] = []
        var normal: [Double] = []
        for x in r { if abs(x - median) > threshold { jumps.append(x) } else { normal.append(x) } }
        let normalMean = normal.reduce(0, +) / Double(max(1, normal.count))
        let normalVariance =
            normal.reduce(0) { $0 + ($1 - normalMean) * ($1 - normalMean) } / Double(max(1, normal.count - 1))
        diffusionVolatility = (normalVariance / stepYears).squareRoot()
        let years = n * stepYears
        jumpIntensity = Double(jumps.count) / years
        let jm = jumps.isEmpty ? 0 : jumps.reduce(0, +) / Double(jumps.count)
        jumpMean = jm
        jumpVolatility =
            jumps.count > 1
            ? (jumps.reduce(0) { $0 + ($1 - jm) * ($1 - jm) } / Double(jumps.count - 1)).squareRoot() : 0
        // GARCH(1,1): variance targeting (ω = v̄(1 − α − β)), grid search on the Gaussian log-likelihood.
        var best = (alpha: 0.05, beta: 0.9, logLikelihood: -Double.infinity, last: variance)
        for alpha in stride(from: 0.01, through: 0.25, by: 0.02) {
            for beta in stride(from: 0.70, through: 0.99, by: 0.01) where alpha + beta < 0.999 {
                let omega = variance * (1 - alpha - beta)
                var h = variance
                var ll = 0.0
                for x in r {
                    let e = x - mean
                    ll -= Double.log(h) + e * e / h
                    h = omega + alpha * e * e + beta * h
                }
                if ll > best.logLikelihood { best = (alpha, beta, ll, h) }
            }
        }
        garchAlpha = best.alpha
        garchBeta = best.beta
        garchOmega = variance * (1 - best.alpha - best.beta)
        garchLastVariance = best.last
        self.stepYears = stepYears
        returns = r.count
    }
}
