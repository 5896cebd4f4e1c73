import FulcrumCore
import Testing

@testable import FulcrumLab

/// A lending layer in a multi-venue run (issue 3): it runs on the main venue, inside the lockstep run, so the
/// arbitrage reaches it through the main venue's price.
@Suite("Cascade lab: a lending layer next to linked venues")
struct MultiVenueLendingTests {
    /// ``ContagionTests/scenario(collateral:markets:)`` (lending on the main venue) plus a thin linked venue.
    func lendingWithVenues(arbitrage: Bool) throws -> Scenario {
        var s = try ContagionTests.scenario()
        s.venueName = "main"
        var thin = try ContagionTests.scenario()
        thin.lending = nil
        thin.population.count = 1_000
        thin.liquidity.depthScale = 0.2
        s.linkedVenues = [LinkedVenue(name: "thin", scenario: thin)]
        s.crossVenueArbitrage = CrossVenueArbitrage(
            enabled: arbitrage,
            lagSteps: 1,
            strength: 0.8,
            capacityPerStep: Quantity(raw: 200 * 100_000_000),
            thresholdBps: 5
        )
        try s.validate()
        return s
    }

    func runVenues(_ s: Scenario, seed: UInt64) throws -> (MultiVenueRun, [AccountBook]) {
        let pops = try MonteCarloRunner.populations(scenario: s, seed: seed, threads: 2)
        let clearings = try MultiVenueRun.clearings(scenario: s, populations: pops, seed: seed)
        return (try MultiVenueRun.run(scenario: s, clearings: clearings, path: 0, seed: seed), pops)
    }

    /// Without arbitrage the main venue, lending layer included, is exactly its standalone run.
    @Test func withoutArbitrageTheMainVenueAndItsLendingAreTheStandaloneRun() throws {
        let s = try lendingWithVenues(arbitrage: false)
        let (multi, pops) = try runVenues(s, seed: 7)
        var alone = s
        alone.linkedVenues = []
        alone.crossVenueArbitrage = CrossVenueArbitrage()
        let standalone = try CascadeRun.run(
            scenario: alone,
            clearing: try EngineClearing(scenario: alone, population: pops[0], seed: 7),
            path: 0,
            seed: 7
        )
        let main = multi.venues[0].metrics
        #expect(!main.lending.isEmpty)
        #expect(main.lending == standalone.metrics.lending)
        #expect(main.amplification == standalone.metrics.amplification)
        #expect(main.liquidations == standalone.metrics.liquidations)
        #expect(multi.venues[1].metrics.lending.isEmpty)
    }

    /// With arbitrage the run completes, reports the lending markets for the main venue, and the contagion report
    /// of the CLI comes from the same multi-venue path (not a standalone rerun of the main venue).
    @Test func withArbitrageTheLendingLayerRunsAndReports() throws {
        let s = try lendingWithVenues(arbitrage: true)
        let (multi, pops) = try runVenues(s, seed: 7)
        #expect(multi.metrics.lending.count == 1)
        #expect(multi.metrics.linkedVenues.count == 1)
        let report = try #require(
            try CascadeRun.contagion(
                scenario: s,
                population: pops[0],
                linkedPopulations: Array(pops.dropFirst()),
                path: 0,
                seed: 7
            )
        )
        let fromRun = try #require(try multi.venues[0].contagionReport())
        #expect(report == fromRun)
        let summary = MonteCarloSummary(paths: [multi.metrics], accounts: pops[0].count, seconds: 0)
        let json = LabReport(scenario: s, summary: summary).json()
        #expect(json.contains("\"lending\":"))
        #expect(json.contains("\"venues\":[{\"name\":\"main\""))
    }

    /// `fulcrum stress` reads path 0's contagion report from its traced run instead of running path 0 again: the
    /// same report, for one venue and for several.
    @Test(arguments: [false, true])
    func theTracedRunGivesTheContagionReport(venues: Bool) throws {
        var s = try lendingWithVenues(arbitrage: true)
        if !venues {
            s.linkedVenues = []
            s.crossVenueArbitrage = CrossVenueArbitrage()
        }
        let outcome = try StressDriver.run(scenario: s, paths: [0, 1], seed: 7, threads: 2, traces: true)
        let fromTrace = try #require(outcome.contagion)
        let rerun = try CascadeRun.contagion(
            scenario: s,
            population: outcome.population,
            linkedPopulations: outcome.linkedPopulations,
            path: 0,
            seed: 7
        )
        #expect(fromTrace == rerun)
        let untraced = try StressDriver.run(scenario: s, paths: [0, 1], seed: 7, threads: 2, traces: false)
        #expect(untraced.contagion == nil)
    }

    @Test func aLinkedVenueCannotHaveItsOwnLendingLayer() throws {
        var s = try lendingWithVenues(arbitrage: true)
        s.linkedVenues[0].scenario.lending = s.lending
        #expect(throws: LabError.self) { try s.validate() }
    }
}
