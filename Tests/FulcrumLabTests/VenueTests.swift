import FulcrumCore
import FulcrumEngine
import Testing

@testable import FulcrumLab

@Suite("Venue profiles in the lab")
struct VenueTests {
    @Test func venueSetsTheProfileAndTheCatalogMarket() throws {
        let builtIn = try Scenario.builtIn()
        #expect(builtIn.venue == .generic)
        let okx = try builtIn.onVenue("OKX")
        #expect(okx.venue == .okx)
        #expect(okx.market == MarketCatalog.okxBTC)
        #expect(try okx.onVenue("generic") == builtIn)
        #expect(throws: LabError.self) { try builtIn.onVenue("bitmex") }  // XBTUSD is inverse
        #expect(throws: LabError.self) { try builtIn.onVenue("nasdaq") }
    }

    /// Same accounts, same path, no feedback; only the rules differ. Every position is below 40,000 notional, inside
    /// Binance's first BTCUSDT bracket (maintenance 0.40 %), while Bybit's base risk limit charges 0.50 %: every
    /// account reaches maintenance at a price closer to its entry on Bybit, so Bybit liquidates a strict superset.
    @Test func bybitLiquidatesMoreThanBinanceForTheSameBook() throws {
        var bybit = try Scenario.builtIn().onVenue("bybit")
        bybit.population.count = 3_000
        bybit.population.maximumNotional = 40_000
        bybit.steps = 200
        bybit.priceModel = .shocked(.gbm(drift: 0, volatility: 0.001), fraction: -0.05, atStep: 30)
        bybit.feedback = false
        bybit.agents = .none
        bybit.insuranceFund = Money(raw: 1_000_000_000 * 100_000_000)
        // Drawn under Bybit's 100× cap, so the book is valid on both venues (same tick and step).
        let population = try MonteCarloRunner.population(scenario: bybit, seed: 9, threads: 2)
        let binance = try bybit.onVenue("binance")
        func liquidated(_ scenario: Scenario) throws -> (Set<Int>, PathMetrics) {
            let accounts = population.repriced(profile: scenario.profile, market: scenario.market)
            let clearing = try EngineClearing(scenario: scenario, population: accounts, seed: 9)
            let run = try CascadeRun.run(scenario: scenario, clearing: clearing, path: 0, seed: 9)
            let book = run.finalAccounts
            return (Set((0..<book.count).filter { book.flags[$0] & AccountBook.flagLiquidated != 0 }), run.metrics)
        }
        let (onBybit, y) = try liquidated(bybit)
        let (onBinance, b) = try liquidated(binance)
        print("liquidated accounts: bybit \(y.liquidatedAccounts), binance \(b.liquidatedAccounts)")
        #expect(!onBinance.isEmpty)
        #expect(onBinance.isSubset(of: onBybit))
        #expect(onBybit.count > onBinance.count)
    }

    /// `fulcrum stress --venue V` for every venue whose BTC market is linear: the population opens on the engine
    /// (each opening fill passes the engine's own initial-margin check) and the run keeps the engine's invariants.
    /// Drift's market (tick 1e-6, step 1e-4) books fills whose notional is not a whole money unit: before the
    /// population's margins covered that rounding loss, its opening fills failed ("isolated initial margin exceeds
    /// free collateral") and `--venue drift` did not run at all.
    @Test(arguments: ["generic", "binance", "bybit", "okx", "hyperliquid", "dydx", "drift"])
    func everyLinearVenueRunsTheDefaultScenario(venue: String) throws {
        var scenario = try Scenario.builtIn().onVenue(venue)
        scenario.population.count = 20_000
        scenario.steps = 240
        let population = try MonteCarloRunner.population(scenario: scenario, seed: 3, threads: 2)
        #expect(population.count == 20_000)
        let clearing = try EngineClearing(scenario: scenario, population: population, seed: 3)
        let run = try CascadeRun.run(scenario: scenario, clearing: clearing, path: 0, seed: 3)
        #expect(run.metrics.liquidations > 0)
        try run.clearing.engine.checkInvariants()
    }
}
