public import FulcrumCore
import RealModule

/// Closed-form first-passage probabilities for geometric Brownian motion with drift.
///
/// With `Sₜ = S₀·exp(νt + σWₜ)`, `ν = μ − σ²/2` and barrier `b = ln(L/S₀)`, the probability that the running
/// minimum (long: `b < 0`) or maximum (short: `b > 0`) reaches `b` by `T` is (reflection principle, e.g.
/// Shreve, *Stochastic Calculus for Finance II*, §7.2.2, or Borodin & Salminen 2.1.1.4):
///
/// - long: `Φ((b − νT)/(σ√T)) + e^{2νb/σ²}·Φ((b + νT)/(σ√T))`
/// - short: `Φ((−b + νT)/(σ√T)) + e^{2νb/σ²}·Φ((−b − νT)/(σ√T))`
public enum FirstPassage {
    /// The probability that the price touches `barrier` within `horizonYears`.
    ///
    /// - Parameters:
    ///   - spot: the current price `S₀` (> 0).
    ///   - barrier: the liquidation price `L` (> 0); below `S₀` for a long, above for a short.
    ///   - volatility: annualised σ (> 0).
    ///   - drift: annualised μ of the price, including any funding carry (see ``effectiveDrift(priceDrift:fundingRatePerInterval:intervalsPerYear:side:)``).
    public static func probability(
        side: PositionSide,
        spot: Double,
        barrier: Double,
        horizonYears: Double,
        volatility: Double,
        drift: Double
    ) -> Double {
        let b = Double.log(barrier / spot)
        if side == .long && b >= 0 { return 1 }
        if side == .short && b <= 0 { return 1 }
        guard horizonYears > 0 else { return 0 }
        let nu = drift - volatility * volatility / 2
        let s = volatility * horizonYears.squareRoot()
        let reflection = Double.exp(2 * nu * b / (volatility * volatility))
        let p: Double
        switch side {
        case .long:
            p =
                NormalDistribution.cdf((b - nu * horizonYears) / s)
                + reflection * NormalDistribution.cdf((b + nu * horizonYears) / s)
        case .short:
            p =
                NormalDistribution.cdf((-b + nu * horizonYears) / s)
                + reflection * NormalDistribution.cdf((-b - nu * horizonYears) / s)
        }
        return min(1, max(0, p))
    }

    /// The drift of the position's equity-equivalent price: the price drift minus the funding the side pays,
    /// `μ − side·f·n` for a rate `f` per interval and `n` intervals a year (a long paying 0.01 %/8 h loses about
    /// 10.95 %/yr of notional, which shifts it toward its liquidation price like a downward drift of that size).
    ///
    /// This treats funding as a continuous proportional carry: exact for a constant rate in the limit of small
    /// intervals, an approximation otherwise (documented in docs/VALIDATION.md (Risk analytics)).
    public static func effectiveDrift(
        priceDrift: Double,
        fundingRatePerInterval: Double,
        intervalsPerYear: Double,
        side: PositionSide
    ) -> Double {
        priceDrift - Double(side.sign) * fundingRatePerInterval * intervalsPerYear
    }
}
