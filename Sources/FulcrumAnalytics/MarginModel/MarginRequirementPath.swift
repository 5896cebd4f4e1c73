public import FulcrumCore
import RealModule

/// The margin requirement at every sample of a price series, for one model.
public enum MarginRequirementPath {
    /// Initial-margin rates, one per sample, each rounded **up** to 10⁻⁸ (favours the venue).
    ///
    /// - Throws: ``AnalyticsError`` for parameters outside their range (negative rates, k, horizon, buffer; a
    ///   maintenance fraction outside (0, 1]; a GARCH with α + β ≥ 1).
    public static func rates(
        _ series: PriceSeries,
        parameters p: MarginModelParameters
    ) throws(AnalyticsError) -> [Rate] {
        guard p.staticRate > 0, p.staticRate <= 1 else {
            throw AnalyticsError("static-rate \(p.staticRate) must be in (0, 1]")
        }
        guard p.floor >= 0, p.floor <= 1 else { throw AnalyticsError("floor \(p.floor) must be in [0, 1]") }
        guard p.k > 0, p.horizonYears > 0 else {
            throw AnalyticsError("k \(p.k) and horizon \(p.horizonYears) must be positive")
        }
        guard p.buffer >= 0 else { throw AnalyticsError("buffer \(p.buffer) must not be negative") }
        guard p.maxDailyRise > 0 else { throw AnalyticsError("max-daily-rise \(p.maxDailyRise) must be positive") }
        guard p.maintenanceFraction > 0, p.maintenanceFraction <= 1 else {
            throw AnalyticsError("maintenance-fraction \(p.maintenanceFraction) must be in (0, 1]")
        }
        guard p.halfLifeSamples > 0 else { throw AnalyticsError("half-life \(p.halfLifeSamples) must be positive") }
        if p.kind == .garch {
            guard p.garchAlpha >= 0, p.garchBeta >= 0, p.garchAlpha + p.garchBeta < 1 else {
                throw AnalyticsError("garch α \(p.garchAlpha) + β \(p.garchBeta) must be below 1")
            }
        }
        let n = series.count
        guard n >= 2 else { throw AnalyticsError("margin model: \(n) samples; at least 2 are needed") }
        if p.kind == .static {
            return [Rate](repeating: toRate(p.staticRate), count: n)
        }
        let stepMs = Double(series.timestamps[n - 1] - series.timestamps[0]) / Double(n - 1)
        let stepYears = stepMs / 31_536_000_000
        let perYear = 1 / stepYears
        let samplesPerDay = 86_400_000 / stepMs
        let lambda = Double.pow(0.5, 1 / p.halfLifeSamples)
        let slowLambda = Double.pow(0.5, 1 / (30 * samplesPerDay))
        let riseFactor = p.maxDailyRise.isFinite ? Double.pow(1 + p.maxDailyRise, 1 / samplesPerDay) : .infinity
        let returns = series.logReturns()
        // Seed the variance with the first day of returns (warm-up), so the first requirement is meaningful.
        let warm = returns.prefix(max(1, Int(samplesPerDay)))
        let seedVariance = warm.reduce(0) { $0 + $1 * $1 } / Double(warm.count)
        var variance = seedVariance
        var slowVariance = seedVariance
        let omega = p.garchOmega > 0 ? p.garchOmega : seedVariance * (1 - p.garchAlpha - p.garchBeta)
        var rates: [Rate] = []
        rates.reserveCapacity(n)
        var previous = 0.0
        for i in 0..<n {
            if i > 0 {
                let r = returns[i - 1]
                switch p.kind {
                case .ewma, .static: variance = lambda * variance + (1 - lambda) * r * r
                case .garch: variance = omega + p.garchAlpha * r * r + p.garchBeta * variance
                }
                slowVariance = slowLambda * slowVariance + (1 - slowLambda) * r * r
            }
            let sigma = (variance * perYear).squareRoot()
            let slowSigma = (slowVariance * perYear).squareRoot()
            let base = max(p.floor, p.k * sigma * p.horizonYears.squareRoot())
            let stressed = sigma > p.stressMultiple * slowSigma
            var requirement = stressed ? base : base * (1 + p.buffer)
            if i > 0 && riseFactor.isFinite { requirement = min(requirement, previous * riseFactor) }
            requirement = min(1, max(p.floor, requirement))
            previous = requirement
            rates.append(toRate(requirement))
        }
        return rates
    }

    /// A `Double` rate into fixed point, rounded **up** (favours the venue).
    static func toRate(_ x: Double) -> Rate {
        Rate(raw: Int64((x * Double(FixedPointScale.factor)).rounded(.up)))
    }
}
