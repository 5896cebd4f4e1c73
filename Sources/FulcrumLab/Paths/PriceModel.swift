/// An exogenous price model: the moves that happen whatever the liquidations do.
///
/// Each model produces per-step log returns `r_t` (Double: this is a stochastic model); the lab turns them into
/// fixed-point prices with ``PricePath``. Time is measured in steps (one minute in the default scenario).
public enum PriceModel: Sendable, Hashable {
    /// One instant move of `fraction` (−0.10 is a 10 % drop) applied at step `atStep`, no noise otherwise.
    case instantShock(fraction: Double, atStep: Int)
    /// Geometric Brownian motion: `r_t = (μ − σ²/2) + σ·Z_t` with per-step drift `μ` and volatility `σ`.
    case gbm(drift: Double, volatility: Double)
    /// Merton jump-diffusion: GBM plus `N_t ~ Poisson(λ)` jumps per step, each with log size `~ N(m, s²)`;
    /// the drift is compensated so that `E[e^{r_t}] = e^{μ}`.
    case merton(drift: Double, volatility: Double, jumpIntensity: Double, jumpMean: Double, jumpVolatility: Double)
    /// GARCH(1,1): `σ²_t = ω + α·ε²_{t−1} + β·σ²_{t−1}`, `ε_t = σ_t·Z_t`, `r_t = μ + ε_t`; starts at the
    /// unconditional variance `ω / (1 − α − β)`.
    case garch(drift: Double, omega: Double, alpha: Double, beta: Double)
    /// Historical replay: the log returns of a recorded price series (step `t` uses `ln(p_{t+1} / p_t)`), in order;
    /// steps beyond the series have return 0.
    case replay(prices: [Double])
    /// A shock on top of another model: the shock's return is added at `atStep`.
    indirect case shocked(PriceModel, fraction: Double, atStep: Int)
}
