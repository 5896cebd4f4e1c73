/// A stochastic price model for liquidation Monte Carlo. Parameters are annualised unless noted.
public enum PriceModel: Sendable, Hashable {
    /// Geometric Brownian motion: `dS/S = μ dt + σ dW`.
    case gbm(volatility: Double, drift: Double)
    /// Merton jump-diffusion: GBM plus Poisson jumps (intensity `λ` per year) with log sizes `N(μⱼ, σⱼ²)`,
    /// compensated so that `E[S_T] = S₀·e^{μT}`.
    case jump(volatility: Double, drift: Double, intensity: Double, jumpMean: Double, jumpVolatility: Double)
    /// GARCH(1,1) on step log returns, per-step units: `hₜ₊₁ = ω + α·εₜ² + β·hₜ`, starting at `initialVariance`,
    /// with `stepYears` the length of one step (the sampling interval it was calibrated on).
    case garch(omega: Double, alpha: Double, beta: Double, initialVariance: Double, drift: Double, stepYears: Double)

    /// A short name for reports.
    public var name: String {
        switch self {
        case .gbm: "gbm"
        case .jump: "jump"
        case .garch: "garch"
        }
    }
}
