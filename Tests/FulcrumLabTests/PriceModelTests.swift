import Foundation
import FulcrumCore
import Testing

@testable import FulcrumLab

@Suite("Exogenous price models")
struct PriceModelTests {
    func moments(_ r: [Double]) -> (mean: Double, variance: Double) {
        let mean = r.reduce(0, +) / Double(r.count)
        let variance = r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(r.count - 1)
        return (mean, variance)
    }

    @Test func gbmLogReturnMoments() throws {
        // Log returns of GBM are N(μ − σ²/2, σ²). n = 200,000, seed 11: the mean within 5 standard errors
        // (5σ/√n ≈ 1.1e-4) and the variance within 2 % (5 · √(2/n) ≈ 1.6 %).
        var random = LabRandom(seed: 11)
        let mu = 0.0005
        let sigma = 0.01
        let r = try PriceModel.gbm(drift: mu, volatility: sigma).logReturns(steps: 200_000, random: &random)
        let m = moments(r)
        #expect(abs(m.mean - (mu - sigma * sigma / 2)) < 5 * sigma / 200_000.0.squareRoot())
        #expect(abs(m.variance / (sigma * sigma) - 1) < 0.02)
    }

    @Test func mertonIsDriftCompensated() throws {
        // E[e^r] = e^μ per step: the jump compensator keeps the mean gross return; tolerance 5 standard errors.
        var random = LabRandom(seed: 12)
        let r = try PriceModel.merton(
            drift: 0,
            volatility: 0.005,
            jumpIntensity: 0.05,
            jumpMean: -0.02,
            jumpVolatility: 0.01
        )
        .logReturns(steps: 200_000, random: &random)
        let gross = r.map { exp($0) }
        let m = moments(gross)
        #expect(abs(m.mean - 1) < 5 * m.variance.squareRoot() / 200_000.0.squareRoot())
        #expect(r.contains { $0 < -0.03 })  // jumps happened
    }

    @Test func garchUnconditionalVariance() throws {
        // σ² = ω / (1 − α − β) = 1e-6 / 0.1 = 1e-5; within 10 % over 400,000 steps (GARCH sample variance converges
        // slowly because of volatility clustering).
        var random = LabRandom(seed: 13)
        let r = try PriceModel.garch(drift: 0, omega: 1e-6, alpha: 0.1, beta: 0.8).logReturns(
            steps: 400_000,
            random: &random
        )
        #expect(abs(moments(r).variance / 1e-5 - 1) < 0.10)
        #expect(throws: LabError.self) {
            var g = LabRandom(seed: 1)
            _ = try PriceModel.garch(drift: 0, omega: 1e-6, alpha: 0.5, beta: 0.5).logReturns(steps: 1, random: &g)
        }
    }

    @Test func replayReproducesTheSeries() throws {
        let prices = [100.0, 101.5, 99.25, 80.0, 85.1]
        var random = LabRandom(seed: 1)
        let r = try PriceModel.replay(prices: prices).logReturns(steps: 4, random: &random)
        let path = try PricePath(start: Price(raw: 10_000_000_000), logReturns: r, tick: Price(raw: 1_000_000))
        #expect(
            path.prices.map(\.raw) == [10_000_000_000, 10_150_000_000, 9_925_000_000, 8_000_000_000, 8_510_000_000]
        )
    }

    @Test func instantShockMovesOnce() throws {
        var random = LabRandom(seed: 1)
        let r = try PriceModel.instantShock(fraction: -0.2, atStep: 3).logReturns(steps: 6, random: &random)
        let path = try PricePath(start: Price(raw: 10_000_000_000), logReturns: r, tick: Price(raw: 1_000_000))
        #expect(
            path.prices.map(\.raw) == [
                10_000_000_000, 10_000_000_000, 10_000_000_000, 10_000_000_000, 8_000_000_000, 8_000_000_000,
                8_000_000_000,
            ]
        )
        #expect(throws: LabError.self) {
            var g = LabRandom(seed: 1)
            _ = try PriceModel.instantShock(fraction: -1, atStep: 0).logReturns(steps: 2, random: &g)
        }
    }

    /// The generator as it stood before ``PriceStepSampler``, kept to pin the sampler's draws bit for bit.
    func referenceReturns(_ model: PriceModel, steps: Int, random: inout LabRandom) -> [Double] {
        var returns = [Double](repeating: 0, count: steps)
        switch model {
        case .instantShock(let fraction, let atStep):
            if atStep >= 0 && atStep < steps { returns[atStep] = log1p(fraction) }
        case .gbm(let drift, let volatility):
            let mean = drift - volatility * volatility / 2
            for t in 0..<steps { returns[t] = mean + volatility * random.nextGaussian() }
        case .merton(let drift, let volatility, let intensity, let jumpMean, let jumpVolatility):
            let kappa = exp(jumpMean + jumpVolatility * jumpVolatility / 2) - 1
            let mean = drift - volatility * volatility / 2 - intensity * kappa
            for t in 0..<steps {
                var r = mean + volatility * random.nextGaussian()
                let jumps = random.nextPoisson(mean: intensity)
                for _ in 0..<jumps { r += jumpMean + jumpVolatility * random.nextGaussian() }
                returns[t] = r
            }
        case .garch(let drift, let omega, let alpha, let beta):
            var variance = omega / (1 - alpha - beta)
            for t in 0..<steps {
                let epsilon = variance.squareRoot() * random.nextGaussian()
                returns[t] = drift + epsilon
                variance = omega + alpha * epsilon * epsilon + beta * variance
            }
        case .replay(let prices):
            for t in 0..<min(steps, max(0, prices.count - 1)) { returns[t] = log(prices[t + 1] / prices[t]) }
        case .shocked(let base, let fraction, let atStep):
            returns = referenceReturns(base, steps: steps, random: &random)
            if atStep >= 0 && atStep < steps { returns[atStep] += log1p(fraction) }
        }
        return returns
    }

    @Test(arguments: [
        PriceModel.gbm(drift: 0.0001, volatility: 0.002),
        .merton(drift: 0, volatility: 0.001, jumpIntensity: 0.3, jumpMean: -0.01, jumpVolatility: 0.02),
        .garch(drift: 0.00001, omega: 5e-8, alpha: 0.1, beta: 0.8),
        .replay(prices: [100, 101, 99.5, 102, 98]),
        .instantShock(fraction: -0.1, atStep: 7),
        .shocked(
            .shocked(
                .merton(drift: 0, volatility: 0.001, jumpIntensity: 0.2, jumpMean: 0, jumpVolatility: 0.01),
                fraction: -0.05,
                atStep: 3
            ),
            fraction: 0.02,
            atStep: 3
        ),
    ])
    func samplerReproducesTheGeneratorBitForBit(model: PriceModel) throws {
        for seed in [UInt64(1), 42, 20_251_010] {
            var a = LabRandom(seed: seed, stream: 3)
            var b = LabRandom(seed: seed, stream: 3)
            let generated = try model.logReturns(steps: 500, random: &a)
            let reference = referenceReturns(model, steps: 500, random: &b)
            #expect(generated.map(\.bitPattern) == reference.map(\.bitPattern))
            #expect(a.next() == b.next())  // the same number of draws
        }
    }

    @Test func samplerSplitsDiffusionAndJumps() throws {
        var sampler = try PriceStepSampler(model: .shocked(.gbm(drift: 0, volatility: 0.01), fraction: -0.2, atStep: 2))
        var random = LabRandom(seed: 5)
        let draws = (0..<4).map { _ in sampler.next(random: &random) }
        #expect(draws.map(\.variance) == Array(repeating: 0.01 * 0.01, count: 4))
        #expect(draws.map(\.jump) == [0, 0, log1p(-0.2), 0])
        var garch = try PriceStepSampler(
            model: .garch(drift: 0, omega: 1e-6, alpha: 0.1, beta: 0.8),
            initialVariance: 4e-5
        )
        #expect(garch.next(random: &random).variance == 4e-5)
        #expect(throws: LabError.self) { _ = try PriceStepSampler(model: .gbm(drift: 0, volatility: -1)) }
    }
}
