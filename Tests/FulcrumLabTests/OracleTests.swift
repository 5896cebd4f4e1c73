import FulcrumCore
import Testing

@testable import FulcrumLab

@Suite("Oracle rules")
struct OracleTests {
    func p(_ units: Int64) -> Price { Price(raw: units * 100_000_000) }

    @Test func latencyDelaysThePrice() throws {
        var oracle = try Oracle(config: OracleConfig(sources: [OracleSource(latencySteps: 2)], stalenessSteps: 10))
        let traded: [Int64] = [100, 101, 102, 103, 104]
        var seen: [Price?] = []
        for (step, t) in traded.enumerated() { seen.append(oracle.update(step: step, traded: p(t))) }
        // Step s publishes the price of step max(0, s − 2).
        #expect(seen == [p(100), p(100), p(100), p(101), p(102)])
    }

    @Test func medianIgnoresOneLaggingSource() throws {
        let config = OracleConfig(sources: [OracleSource(), OracleSource(), OracleSource(latencySteps: 3)])
        var oracle = try Oracle(config: config)
        var last: Price?
        for (step, t) in [100, 90, 80, 70].enumerated() { last = oracle.update(step: step, traded: p(Int64(t))) }
        #expect(last == p(70))  // median of 70, 70, 100
    }

    @Test func deviationThresholdAndHeartbeat() throws {
        // Publish on a ≥ 1 % move or every 5 steps.
        let config = OracleConfig(heartbeatSteps: 5, deviationThreshold: Rate(raw: 1_000_000), stalenessSteps: 10)
        var oracle = try Oracle(config: config)
        _ = oracle.update(step: 0, traded: p(1_000))
        _ = oracle.update(step: 1, traded: p(1_005))  // +0.5 %: no publication
        #expect(oracle.published == p(1_000))
        _ = oracle.update(step: 2, traded: p(1_010))  // +1 %: published
        #expect(oracle.published == p(1_010))
        _ = oracle.update(step: 3, traded: p(1_011))
        _ = oracle.update(step: 4, traded: p(1_012))
        _ = oracle.update(step: 5, traded: p(1_013))
        _ = oracle.update(step: 6, traded: p(1_014))
        #expect(oracle.published == p(1_010))
        _ = oracle.update(step: 7, traded: p(1_015))  // heartbeat: 5 steps since step 2
        #expect(oracle.published == p(1_015))
        #expect(oracle.publications == 3)
    }

    @Test func aStaleOracleIsInvalid() throws {
        let config = OracleConfig(sources: [OracleSource(outage: 3..<10)], stalenessSteps: 2)
        var oracle = try Oracle(config: config)
        var valid: [Bool] = []
        for step in 0..<12 { valid.append(oracle.update(step: step, traded: p(100)) != nil) }
        // Last publication at step 2; valid through step 4; invalid 5…9; back at 10.
        #expect(valid == [true, true, true, true, true, false, false, false, false, false, true, true])
    }

    @Test func twapAndEMA() throws {
        var twap = try Oracle(config: OracleConfig(aggregation: .twap(window: 2)))
        _ = twap.update(step: 0, traded: p(100))
        #expect(twap.update(step: 1, traded: p(110)) == p(105))
        var ema = try Oracle(config: OracleConfig(aggregation: .ema(alpha: Rate(raw: 50_000_000))))
        _ = ema.update(step: 0, traded: p(100))
        #expect(ema.update(step: 1, traded: p(110)) == p(105))
        #expect(ema.update(step: 2, traded: p(110)) == Price(raw: 10_750_000_000))
    }

    @Test func invalidConfigurationNamesTheField() {
        #expect(throws: LabError("oracle.sources is empty")) { try Oracle(config: OracleConfig(sources: [])) }
        #expect(throws: LabError.self) { try Oracle(config: OracleConfig(heartbeatSteps: 0)) }
    }

    @Test func noLiquidationOnAnInvalidOracle() throws {
        var scenario = try Scenario.builtIn()
        scenario.population.count = 4_000
        scenario.steps = 120
        scenario.agents = .none
        scenario.priceModel = .instantShock(fraction: -0.15, atStep: 30)
        // The only source is down from step 20 to 80; staleness 2 steps: invalid from step 22 to 79.
        scenario.oracle = OracleConfig(sources: [OracleSource(outage: 20..<80)], stalenessSteps: 2)
        let population = try MonteCarloRunner.population(scenario: scenario, seed: 3, threads: 2)
        let run = try CascadeRun.run(scenario: scenario, population: population, path: 0, seed: 3, recordTrace: true)
        let trace = try #require(run.trace)
        #expect(run.metrics.invalidOracleSteps == 58)
        #expect(run.metrics.heldOnInvalidOracle > 0)  // the shock crossed accounts while the oracle was stale
        for step in 22..<80 {
            #expect(!trace.oracleValid[step])
            #expect(trace.liquidations[step] == 0)
        }
        // Once the oracle is back, the held accounts are liquidated.
        #expect(trace.liquidations[80...].reduce(0, +) > 0)
    }
}
