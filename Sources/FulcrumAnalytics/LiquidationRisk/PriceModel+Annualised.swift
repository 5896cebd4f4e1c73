public import FulcrumLab

extension PriceModel {
    /// GBM from an annualised volatility `σ` and drift `μ`, as the lab's per-step model for steps of `stepYears`
    /// (`Δt`): per-step drift `μ·Δt` and volatility `σ·√Δt`.
    public static func annualisedGBM(volatility: Double, drift: Double, stepYears: Double) -> PriceModel {
        .gbm(drift: drift * stepYears, volatility: volatility * stepYears.squareRoot())
    }

    /// Merton jump-diffusion from annualised parameters (diffusion `σ`, drift `μ`, jump intensity `λ` per year,
    /// jump log sizes `N(m, s²)`), as the lab's per-step model for steps of `stepYears`: per-step intensity `λ·Δt`;
    /// the lab compensates the drift so that `E[S_T] = S₀·e^{μT}`.
    public static func annualisedMerton(
        volatility: Double,
        drift: Double,
        intensity: Double,
        jumpMean: Double,
        jumpVolatility: Double,
        stepYears: Double
    ) -> PriceModel {
        .merton(
            drift: drift * stepYears,
            volatility: volatility * stepYears.squareRoot(),
            jumpIntensity: intensity * stepYears,
            jumpMean: jumpMean,
            jumpVolatility: jumpVolatility
        )
    }

    /// GARCH(1,1) in per-step units (`ω`, `α`, `β` fitted on steps of `stepYears`) with an annualised price drift
    /// `μ`, as the lab's model: the per-step log drift is `μ·Δt − h̄/2` with `h̄ = ω / (1 − α − β)` the
    /// unconditional variance (the Itô correction at the average variance; the conditional variance of the first
    /// step is given to ``PriceStepSampler`` separately).
    public static func annualisedGARCH(
        omega: Double,
        alpha: Double,
        beta: Double,
        drift: Double,
        stepYears: Double
    ) -> PriceModel {
        let persistence = alpha + beta
        let unconditional = persistence < 1 ? omega / (1 - persistence) : 0
        return .garch(drift: drift * stepYears - unconditional / 2, omega: omega, alpha: alpha, beta: beta)
    }
}
