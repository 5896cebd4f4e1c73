import FulcrumCore
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
}
