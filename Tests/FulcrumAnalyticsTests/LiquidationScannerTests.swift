import FulcrumAnalytics
import FulcrumCore
import FulcrumEngine
import PropertyBased
import Testing

/// `fulcrum scan`'s two paths agree: the liquidation index's candidates give exactly the full pass's entries.
@Suite("Liquidation scanner")
struct LiquidationScannerTests {
    static let unit = FixedPointScale.factor
    static let markets: [(MarketListing, Int64)] = [
        (MarketListing(spec: MarketCatalog.binanceBTCUSDT, profile: .binance), 60_000),
        (MarketListing(spec: MarketCatalog.hyperliquidETH, profile: .hyperliquid), 3_000),
        (MarketListing(spec: MarketCatalog.bitmexXBTUSD, profile: .bitmex), 60_000),
    ]

    /// Random event streams (trades, price walks with jumps, funding, sweeps, deposits, withdrawals, leverage and
    /// margin-mode changes over a linear mark-triggered, a Hyperliquid and an inverse market) with the index updated
    /// after every event: after every 5th price event, the index scan equals the full scan at 2 %, 10 % and 40 %.
    @Test func indexScanEqualsFullScan() async throws {
        await propertyCheck(count: 3, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                let (compared, entries) = try Self.compare(seed: seed, events: 2_500)
                #expect(compared > 20)
                #expect(entries > 0, "seed \(seed): no account ever within reach; the comparison is vacuous")
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    /// A negative or non-finite distance is refused naming the value.
    @Test func badDistanceIsRefused() throws {
        var engine = ClearingEngine()
        _ = try engine.apply(.listMarket(Self.markets[0].0))
        let index = LiquidationIndex(engine: engine)
        #expect(throws: AnalyticsError.self) {
            try LiquidationScanner.scan(engine: engine, index: index, market: MarketID(0), within: -0.1)
        }
        #expect(throws: AnalyticsError.self) {
            try LiquidationScanner.scan(engine: engine, market: MarketID(0), within: .nan)
        }
    }

    static func compare(seed: UInt64, events: Int) throws -> (Int, Int) {
        var generator = EventGenerator(
            seed: seed,
            accounts: 80,
            listings: markets.map(\.0),
            initialPrices: markets.map { Price(raw: $0.1 * unit) },
            deposit: Money(raw: 1_000 * unit)
        )
        var engine = ClearingEngine(configuration: EngineConfiguration(seed: seed))
        var index = LiquidationIndex(engine: engine)
        var effects: [Effect] = []
        var priceEvents = 0
        var compared = 0
        var entries = 0
        for _ in 0..<events {
            let event = generator.next()
            effects.removeAll(keepingCapacity: true)
            do { try engine.apply(event, effects: &effects) } catch { continue }
            index.update(after: event, effects: effects, in: engine)
            let market: MarketID
            switch event {
            case .markPrice(let m, _), .indexPrice(let m, _): market = m
            default: continue
            }
            priceEvents += 1
            guard priceEvents % 5 == 0 else { continue }
            for within in [0.02, 0.1, 0.4] {
                let full = try LiquidationScanner.scan(engine: engine, market: market, within: within)
                let indexed = try LiquidationScanner.scan(engine: engine, index: index, market: market, within: within)
                #expect(indexed == full, "seed \(seed), price event \(priceEvents), within \(within)")
                compared += 1
                entries += full.count
            }
        }
        return (compared, entries)
    }
}
