import FulcrumCore
import Testing

@testable import FulcrumLab

@Suite("Cascade loop on FulcrumEngine")
struct EngineCouplingTests {
    func small(count: Int = 1_500, steps: Int = 150) throws -> Scenario {
        var s = try Scenario.builtIn()
        s.population.count = count
        s.steps = steps
        s.priceModel = .shocked(.gbm(drift: 0, volatility: 0.001), fraction: -0.12, atStep: 30)
        return s
    }

    @Test func engineLiquidatesExactlyTheCrossedAccountsWithoutFeedback() throws {
        var scenario = try small()
        scenario.feedback = false
        scenario.agents = .none
        scenario.oracle = OracleConfig()
        scenario.insuranceFund = Money(raw: 1_000_000_000 * 100_000_000)
        let population = try MonteCarloRunner.population(scenario: scenario, seed: 31, threads: 2)
        let engine = try CascadeRun.runWithEngine(scenario: scenario, population: population, path: 0, seed: 31)
        var lab = try CascadeRun(scenario: scenario, population: population, path: 0, seed: 31, recordTrace: false)
        var random = LabRandom(seed: 31, stream: 0)
        let returns = try scenario.priceModel.logReturns(steps: scenario.steps, random: &random)
        let path = try PricePath(start: scenario.startPrice, logReturns: returns, tick: scenario.market.tickSize)
        try lab.simulate(exogenous: path)
        func liquidated(_ book: AccountBook) -> Set<Int> {
            Set((0..<book.count).filter { book.flags[$0] & AccountBook.flagLiquidated != 0 })
        }
        let byEngine = liquidated(engine.accounts)
        let byLab = liquidated(lab.finalAccounts)
        #expect(!byEngine.isEmpty)
        #expect(byEngine == byLab)
        #expect(engine.metrics.amplification == 1)
    }

    @Test func engineAndFrontierLoopAgreeWithFeedback() throws {
        var scenario = try small()
        scenario.agents = .none
        let population = try MonteCarloRunner.population(scenario: scenario, seed: 32, threads: 2)
        let engine = try CascadeRun.runWithEngine(scenario: scenario, population: population, path: 0, seed: 32).metrics
        let lab = try CascadeRun.run(scenario: scenario, population: population, path: 0, seed: 32).metrics
        print(
            "engine vs lab: amplification \(engine.amplification) / \(lab.amplification), liquidations "
                + "\(engine.liquidations) / \(lab.liquidations), notional \(engine.liquidatedNotional) / "
                + "\(lab.liquidatedNotional), bad debt \(engine.badDebt) / \(lab.badDebt), ADL \(engine.adlNotional) / "
                + "\(lab.adlNotional)"
        )
        #expect(engine.amplification > 1)
        #expect(abs(engine.amplification - lab.amplification) <= 0.05 * lab.amplification)
    }
}
