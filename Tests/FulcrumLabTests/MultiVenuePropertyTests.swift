import FulcrumCore
import FulcrumEngine
import PropertyBased
import Testing

@testable import FulcrumLab

/// Properties of multi-venue runs over random seeds and arbitrage parameters.
@Suite("Cascade lab: multi-venue properties")
struct MultiVenuePropertyTests {
    /// Two small venues (400 accounts each, 90 steps, −12 % at step 20), the second thin and slow.
    static func scenario(lag: Int, strength: Double, capacity: Int64, enabled: Bool) throws -> Scenario {
        var s = try Scenario.builtIn()
        s.population.count = 400
        s.steps = 90
        s.priceModel = .shocked(.gbm(drift: 0, volatility: 0.001), fraction: -0.12, atStep: 20)
        s.liquidity.depthScale = 0.6
        var thin = s
        thin.liquidity.depthScale = 0.08
        thin.insuranceFund = Money(raw: 20_000 * 100_000_000)
        thin.keeper.maxLiquidationsPerStep = 15
        s.linkedVenues = [LinkedVenue(name: "thin", scenario: thin)]
        s.crossVenueArbitrage = CrossVenueArbitrage(
            enabled: enabled,
            lagSteps: lag,
            strength: strength,
            capacityPerStep: Quantity(raw: capacity * 100_000_000),
            thresholdBps: 5
        )
        return s
    }

    /// Every venue's engine keeps its invariants; the arbitrageur never trades more than its capacity per step, and
    /// the run equals the run without arbitrage until its first trade.
    @Test func arbitrageKeepsEnginesExactAndActsOnlyAfterItsFirstTrade() async {
        await propertyCheck(
            count: 4,
            input: Gen.uint64(in: 1...1_000_000),
            Gen.int(in: 0...4),
            Gen.int(in: 1...10),
            Gen.int(in: 1...300)
        ) { seed, lag, tenths, capacity in
            do {
                let on = try Self.scenario(
                    lag: lag,
                    strength: Double(tenths) / 10,
                    capacity: Int64(capacity),
                    enabled: true
                )
                var off = on
                off.crossVenueArbitrage.enabled = false
                let pops = try MonteCarloRunner.populations(scenario: on, seed: seed, threads: 1)
                func run(_ s: Scenario) throws -> MultiVenueRun {
                    try MultiVenueRun.run(
                        scenario: s,
                        clearings: try MultiVenueRun.clearings(scenario: s, populations: pops, seed: seed),
                        path: 0,
                        seed: seed,
                        recordTrace: true
                    )
                }
                let a = try run(on)
                let b = try run(off)
                for venue in a.venues { try venue.clearing.engine.checkInvariants() }
                let limit = Int128(capacity) * 100_000_000 * Int128(a.cross.arbitrageSteps)
                #expect(a.cross.arbitrageVolume <= limit, "seed \(seed)")
                let first = a.firstTradeStep ?? on.steps + 1
                if let signal = b.firstSignalStep { #expect(first >= signal + lag + 1, "seed \(seed)") }
                for k in 0..<2 {
                    #expect(
                        Array((a.venues[k].trace?.traded ?? []).prefix(first))
                            == Array((b.venues[k].trace?.traded ?? []).prefix(first)),
                        "seed \(seed) venue \(k)"
                    )
                }
                if a.firstTradeStep == nil { #expect(a.venues[1].metrics == b.venues[1].metrics, "seed \(seed)") }
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }
}
