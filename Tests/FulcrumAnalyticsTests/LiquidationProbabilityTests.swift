import FulcrumAnalytics
import FulcrumCore
import FulcrumLab
import PropertyBased
import Testing

struct LiquidationProbabilityTests {
    /// The GBM closed form lies inside the Monte Carlo's 99 % Wilson interval (fixed seeds; the MC uses the
    /// Brownian-bridge crossing correction, so it estimates the continuously monitored probability).
    @Test(arguments: [
        (PositionSide.long, 0.90, 0.8, 0.0, 7.0 / 365.0),
        (PositionSide.long, 0.95, 0.6, 0.3, 1.0 / 365.0),
        (PositionSide.short, 1.10, 0.8, 0.1, 7.0 / 365.0),
        (PositionSide.short, 1.05, 0.5, -0.2, 3.0 / 365.0),
        (PositionSide.long, 0.80, 1.2, -0.5, 30.0 / 365.0),
    ])
    func closedFormAgreesWithMonteCarlo(
        side: PositionSide,
        barrier: Double,
        volatility: Double,
        drift: Double,
        horizon: Double
    ) throws {
        let exact = FirstPassage.probability(
            side: side,
            spot: 1,
            barrier: barrier,
            horizonYears: horizon,
            volatility: volatility,
            drift: drift
        )
        let mc = try LiquidationMonteCarlo.estimate(
            model: .annualisedGBM(volatility: volatility, drift: drift, stepYears: horizon / 50),
            side: side,
            barrier: barrier,
            steps: 50,
            paths: 20_000,
            seed: 20_251_010
        )
        #expect(mc.lower99 <= exact && exact <= mc.upper99, "closed form \(exact) outside MC \(mc)")
        #expect(exact > 0.001 && exact < 0.999)  // a case that can discriminate
    }

    /// Without the bridge correction a coarse MC would miss crossings; the closed form must exceed the
    /// probability that the price *ends* beyond the barrier (reflection doubles it when drift is zero).
    @Test func zeroDriftReflectionPrinciple() {
        let sigma = 0.8
        let t = 0.05
        let p = FirstPassage.probability(
            side: .long,
            spot: 1,
            barrier: 0.9,
            horizonYears: t,
            volatility: sigma,
            drift: sigma * sigma / 2
        )
        // With ν = μ − σ²/2 = 0: P = 2·Φ(b/(σ√T)).
        let expected = 2 * NormalDistribution.cdf((-0.105_360_515_657_826_28) / (sigma * t.squareRoot()))
        #expect(abs(p - expected) < 1e-12)
    }

    @Test func monteCarloIsDeterministicForASeed() throws {
        let model = PriceModel.annualisedMerton(
            volatility: 0.6,
            drift: 0,
            intensity: 20,
            jumpMean: -0.03,
            jumpVolatility: 0.05,
            stepYears: 0.02 / 40
        )
        let a = try LiquidationMonteCarlo.estimate(
            model: model,
            side: .long,
            barrier: 0.9,
            steps: 40,
            paths: 2_000,
            seed: 7
        )
        let b = try LiquidationMonteCarlo.estimate(
            model: model,
            side: .long,
            barrier: 0.9,
            steps: 40,
            paths: 2_000,
            seed: 7
        )
        #expect(a == b)
        let gbm = try LiquidationMonteCarlo.estimate(
            model: .annualisedGBM(volatility: 0.6, drift: 0, stepYears: 0.02 / 40),
            side: .long,
            barrier: 0.9,
            steps: 40,
            paths: 2_000,
            seed: 7
        )
        #expect(a.probability > gbm.probability)  // downward jumps add liquidations
    }

    /// Property: the first-passage probability rises with volatility and with a barrier nearer the price.
    @Test func probabilityIsMonotone() async {
        await propertyCheck(input: Gen.int(in: 10...150), Gen.int(in: 800...990)) { volPercent, barrierPermille in
            let sigma = Double(volPercent) / 100
            let barrier = Double(barrierPermille) / 1_000
            let p = FirstPassage.probability(
                side: .long,
                spot: 1,
                barrier: barrier,
                horizonYears: 0.05,
                volatility: sigma,
                drift: 0
            )
            let higherVol = FirstPassage.probability(
                side: .long,
                spot: 1,
                barrier: barrier,
                horizonYears: 0.05,
                volatility: sigma * 1.1,
                drift: 0
            )
            let nearer = FirstPassage.probability(
                side: .long,
                spot: 1,
                barrier: barrier + 0.005,
                horizonYears: 0.05,
                volatility: sigma,
                drift: 0
            )
            #expect(higherVol >= p)
            #expect(nearer >= p)
        }
    }

    @Test func fundingDriftPushesALongTowardLiquidation() {
        let paying = FirstPassage.effectiveDrift(
            priceDrift: 0,
            fundingRatePerInterval: 0.0001,
            intervalsPerYear: 1_095,
            side: .long
        )
        #expect(abs(paying + 0.1095) < 1e-12)
        let receiving = FirstPassage.effectiveDrift(
            priceDrift: 0,
            fundingRatePerInterval: 0.0001,
            intervalsPerYear: 1_095,
            side: .short
        )
        #expect(abs(receiving - 0.1095) < 1e-12)
    }

    @Test func calibrationRecoversAKnownVolatility() throws {
        // Deterministic ±x returns have standard deviation x exactly.
        let x = 0.001
        let returns = (0..<10_000).map { $0 % 2 == 0 ? x : -x }
        let c = try VolatilityCalibration(logReturns: returns, stepYears: 1.0 / 525_600)
        #expect(abs(c.volatility - x * 525_600.0.squareRoot()) / c.volatility < 1e-3)
        #expect(c.jumpIntensity == 0)
    }
}
