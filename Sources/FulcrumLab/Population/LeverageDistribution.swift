/// How account leverage is drawn.
public enum LeverageDistribution: Sendable, Hashable {
    /// Uniform on `[low, high]`.
    case uniform(low: Double, high: Double)
    /// Log-normal with the given median and log-standard deviation, capped at `maximum`.
    case logNormal(median: Double, sigma: Double, maximum: Double)
    /// Resampled from observed leverages (e.g. the Hyperliquid 2025-10-10 positions file).
    case empirical([Double])
}
