import FulcrumCore
import FulcrumEngine
import Testing

@testable import FulcrumLab

/// The default loop (frontier detection + the engine's targeted liquidation) against the reference loop that runs the
/// engine's full sweep every step: with an unlimited keeper and no latency they must clear the same accounts the same
/// way, so the frontier never misses an account the engine would liquidate, and never lists one it would not.
@Suite("Cascade loop on FulcrumEngine")
struct EngineCouplingTests {
    func small(count: Int = 1_500, steps: Int = 150) throws -> Scenario {
        var s = try Scenario.builtIn()
        s.population.count = count
        s.steps = steps
        s.priceModel = .shocked(.gbm(drift: 0, volatility: 0.001), fraction: -0.12, atStep: 30)
        s.agents = .none
        s.keeper = KeeperConfig(maxLiquidationsPerStep: 1_000_000, latencySteps: 0)
        return s
    }

    /// One path of `scenario` through the reference loop (the engine's full sweep every step) and through the default
    /// loop (frontier + targeted liquidation), on the same population.
    func bothLoops(_ scenario: Scenario, seed: UInt64) throws -> (sweep: CascadeRun, targeted: CascadeRun, AccountBook)
    {
        let population = try MonteCarloRunner.population(scenario: scenario, seed: seed, threads: 2)
        let sweep = try CascadeRun.runWithFullSweep(scenario: scenario, population: population, path: 0, seed: seed)
        let targeted = try CascadeRun.run(
            scenario: scenario,
            clearing: try EngineClearing(scenario: scenario, population: population, seed: seed),
            path: 0,
            seed: seed
        )
        return (sweep, targeted, population)
    }

    func liquidated(_ book: AccountBook) -> Set<Int> {
        Set((0..<book.count).filter { book.flags[$0] & AccountBook.flagLiquidated != 0 })
    }

    @Test func targetedLoopLiquidatesWhatTheSweepLiquidatesWithoutFeedback() throws {
        var scenario = try small()
        scenario.feedback = false
        scenario.oracle = OracleConfig()
        scenario.insuranceFund = Money(raw: 1_000_000_000 * 100_000_000)
        let population = try MonteCarloRunner.population(scenario: scenario, seed: 31, threads: 2)
        let sweep = try CascadeRun.runWithFullSweep(scenario: scenario, population: population, path: 0, seed: 31)
        let targeted = try CascadeRun.run(
            scenario: scenario,
            clearing: try EngineClearing(scenario: scenario, population: population, seed: 31),
            path: 0,
            seed: 31
        )
        #expect(!liquidated(sweep.finalAccounts).isEmpty)
        #expect(liquidated(targeted.finalAccounts) == liquidated(sweep.finalAccounts))
        #expect(targeted.metrics == sweep.metrics)
        #expect(targeted.metrics.amplification == 1)
    }

    @Test(arguments: [32, 33] as [UInt64])
    func targetedLoopEqualsTheSweepWithFeedback(seed: UInt64) throws {
        var scenario = try small()
        scenario.liquidity.depthScale = 0.4  // thin book: bad debt and ADL happen
        scenario.insuranceFund = Money(raw: 20_000 * 100_000_000)
        let (sweep, targeted, _) = try bothLoops(scenario, seed: seed)
        let m = targeted.metrics
        print(
            "seed \(seed): amplification \(m.amplification), liquidations \(m.liquidations), notional "
                + "\(m.liquidatedNotional), bad debt \(m.badDebt), ADL \(m.adlNotional) over \(m.adlAccounts) accounts"
        )
        #expect(m.amplification > 1)
        #expect(m.liquidations > 0)
        #expect(m == sweep.metrics)
        #expect(targeted.finalAccounts.sizes == sweep.finalAccounts.sizes)
        #expect(targeted.finalAccounts.margins == sweep.finalAccounts.margins)
        #expect(targeted.finalAccounts.flags == sweep.finalAccounts.flags)
    }

    /// Drift's loss rule: once the small fund is gone every bankrupt account's loss is socialized over every open
    /// position (one market-wide effect per loss). The targeted loop must reach and re-key all of them exactly as the
    /// sweep does, and the lab's arrays must equal the engine's afterwards (a holder not re-keyed after a charge would
    /// keep its old margin).
    @Test(arguments: [35, 36] as [UInt64])
    func driftSocializationInTheTargetedLoopEqualsTheSweep(seed: UInt64) throws {
        var scenario = try small().onVenue("drift")
        scenario.liquidity.depthScale = 0.3
        scenario.insuranceFund = Money(raw: 5_000 * 100_000_000)
        let (sweep, targeted, population) = try bothLoops(scenario, seed: seed)
        #expect(targeted.clearing.engine.markets[0].socializedLossIndex.isPositive, "no loss was socialized")
        #expect(targeted.metrics == sweep.metrics)
        #expect(targeted.finalAccounts.sizes == sweep.finalAccounts.sizes)
        #expect(targeted.finalAccounts.margins == sweep.finalAccounts.margins)
        for i in 0..<population.count {
            #expect(targeted.finalAccounts.margins[i] == targeted.clearing.margin(of: i).raw, "account \(i)")
        }
        try targeted.clearing.engine.checkInvariants()
    }

    @Test func engineStateMatchesTheLabArrays() throws {
        let scenario = try small()
        let population = try MonteCarloRunner.population(scenario: scenario, seed: 34, threads: 2)
        let run = try CascadeRun.run(
            scenario: scenario,
            clearing: try EngineClearing(scenario: scenario, population: population, seed: 34),
            path: 0,
            seed: 34
        )
        var changed = 0
        for i in 0..<population.count {
            let position = run.clearing.position(of: i)
            #expect(run.finalAccounts.sizes[i] == position.size.magnitude.raw, "account \(i)")
            #expect(run.finalAccounts.margins[i] == run.clearing.margin(of: i).raw, "account \(i)")
            if run.finalAccounts.sizes[i] != population.sizes[i] { changed += 1 }
        }
        #expect(changed > 0)
    }
}
