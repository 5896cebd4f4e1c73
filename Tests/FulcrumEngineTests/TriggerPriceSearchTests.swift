import FulcrumCore
import FulcrumEngine
import PropertyBased
import Testing

/// `ClearingEngine.liquidationTriggerPrice(of:in:)` returns the engine's own first liquidating tick.
@Suite("Trigger price search")
struct TriggerPriceSearchTests {
    typealias P = IndexPopulation

    /// Random populations (isolated and cross, 1–3 markets, both sides, tiers up to each market's maximum leverage;
    /// Binance, dYdX, BitMEX inverse, Drift, Hyperliquid) after random price moves: for every open position, the
    /// returned tick is liquidatable on a copy of the engine with that trigger price applied, and the tick next to
    /// it on the safe side (or the current price) is not, which is the definition of the first trigger tick. `nil`
    /// only when the far end of the searched range is safe.
    @Test func triggerTickIsTheEnginesBoundary() async throws {
        await propertyCheck(count: 3, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                let (checked, found) = try Self.check(seed: seed, accounts: 120, moves: 4)
                #expect(checked > 100)
                #expect(found > checked / 2)
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    /// A flat account and the backstop (never liquidated) have no trigger; unknown ids are errors.
    @Test func flatBackstopAndUnknownIDs() throws {
        let engine = try P.engine(seed: 3, accounts: 5)
        let backstopMarket = (0..<engine.marketCount).first {
            engine.position(AccountID(0), MarketID(UInt32($0))).isOpen
        }
        let market = try #require(backstopMarket, "the backstop took the other side of every opening")
        #expect(try engine.liquidationTriggerPrice(of: AccountID(0), in: MarketID(UInt32(market))) == nil)
        #expect(throws: EngineError.self) { try engine.liquidationTriggerPrice(of: AccountID(999), in: MarketID(0)) }
        #expect(throws: EngineError.self) { try engine.liquidationTriggerPrice(of: AccountID(1), in: MarketID(99)) }
        var flat = ClearingEngine()
        try flat.apply(.listMarket(P.markets[0].listing))
        try flat.apply(.deposit(account: AccountID(0), amount: Money(raw: 100 * P.unit)))
        #expect(try flat.liquidationTriggerPrice(of: AccountID(0), in: MarketID(0)) == nil)
    }

    /// Checks every open position after each of `moves` random price moves; returns (positions checked, triggers
    /// found).
    static func check(seed: UInt64, accounts: Int, moves: Int) throws -> (Int, Int) {
        var random = SplitMixRandom(seed: seed ^ 0x51ED_270B)
        var engine = try P.engine(seed: seed, accounts: accounts)
        var checked = 0
        var found = 0
        for _ in 0..<moves {
            _ = try engine.apply(P.priceMove(engine, random: &random, maxPercent: 5))
            for account in 1..<engine.accountCount {
                for market in 0..<engine.marketCount {
                    let id = AccountID(UInt32(account))
                    let marketID = MarketID(UInt32(market))
                    let position = engine.position(id, marketID)
                    guard position.isOpen else { continue }
                    checked += 1
                    let trigger = try engine.liquidationTriggerPrice(of: id, in: marketID)
                    let current = engine.triggerPrice(marketID)
                    let tick = max(1, engine.specs[market].tickSize.raw)
                    let long = position.size.isPositive
                    guard let trigger else {
                        let end = long ? tick : min(Int64.max / 2 / tick, current.raw / tick * 100) * tick
                        #expect(try !liquidatable(engine, id, marketID, Price(raw: end)), "account \(account)")
                        continue
                    }
                    found += 1
                    #expect(try liquidatable(engine, id, marketID, trigger), "account \(account) at \(trigger)")
                    if trigger == current { continue }
                    // One tick towards the current price; the current price itself when that passes it.
                    let toward = long ? trigger.raw + tick : trigger.raw - tick
                    let safe =
                        long
                        ? (toward <= current.raw / tick * tick ? toward : current.raw) : max(toward, current.raw)
                    #expect(
                        try !liquidatable(engine, id, marketID, Price(raw: safe)),
                        "account \(account) market \(market): \(trigger) is not the first trigger tick"
                    )
                }
            }
        }
        return (checked, found)
    }

    /// The engine's own answer: a copy with the trigger-price event applied, then the pool's metrics.
    static func liquidatable(
        _ engine: ClearingEngine,
        _ account: AccountID,
        _ market: MarketID,
        _ price: Price
    ) throws
        -> Bool
    {
        var copy = engine
        let event: EngineEvent =
            engine.profiles[market.index].liquidationTrigger == .markPrice
            ? .markPrice(market: market, price: price) : .indexPrice(market: market, price: price)
        _ = try copy.apply(event)
        let metrics = try copy.poolMetrics(of: account, holding: market)
        return metrics.equity < metrics.maintenance
    }
}
