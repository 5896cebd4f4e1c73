import FulcrumCore
import PropertyBased
import Testing

@testable import FulcrumEngine

/// `nearestKeys(market:triggerPrice:count:)` equals a full scan of every live key, sorted by distance.
@Suite("Liquidation index: nearest keys")
struct LiquidationIndexNearestTests {
    typealias P = IndexPopulation

    /// Random populations under random price paths (keys crossed, re-keyed, pending and merged): after every price
    /// update, for every market and several counts, the query equals the full scan of both books.
    @Test func nearestKeysEqualTheFullScan() async throws {
        await propertyCheck(count: 4, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                var random = SplitMixRandom(seed: seed ^ 0x5DEE_CE66)
                var engine = try P.engine(seed: seed, accounts: 200)
                var index = LiquidationIndex(engine: engine)
                var compared = 0
                var nonEmpty = 0
                for step in 0..<120 {
                    let event = P.priceMove(engine, random: &random)
                    let effects = try engine.apply(event)
                    index.update(after: event, effects: effects, in: engine)
                    guard step % 8 == 0 else { continue }
                    for market in 0..<engine.marketCount {
                        let id = MarketID(UInt32(market))
                        let trigger = engine.triggerPrice(id)
                        for count in [1, 7, 50, 10_000] {
                            let fast = index.nearestKeys(market: id, triggerPrice: trigger, count: count)
                            let slow = Self.fullScan(index, market: id, triggerPrice: trigger, count: count)
                            #expect(fast == slow, "seed \(seed) step \(step) market \(market) count \(count)")
                            compared += 1
                            if !fast.isEmpty { nonEmpty += 1 }
                        }
                    }
                }
                #expect(compared > 50 && nonEmpty > 40)
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    /// The nearest key of a single long is its re-check price below the trigger, and a price move to that key
    /// makes the index re-check the position (the key is not vacuous).
    @Test func nearestKeyIsBelowTheTriggerForALong() throws {
        var engine = try P.engine(seed: 3, accounts: 40, marketCount: 1)
        var index = LiquidationIndex(engine: engine)
        let market = MarketID(0)
        let trigger = engine.triggerPrice(market)
        let nearest = index.nearestKeys(market: market, triggerPrice: trigger, count: 400)
        let long = try #require(nearest.first { $0.fallingPrice && $0.distance > 0 })
        let price = try #require(long.price)
        #expect(price.raw == trigger.raw - long.distance)
        // Move the price onto the key (rounded down to a tick, still at or below it): the position is re-checked.
        let tick = engine.specs[0].tickSize.raw
        let crossed = index.statistics.crossedKeys
        let event = EngineEvent.markPrice(market: market, price: Price(raw: price.raw / tick * tick))
        let effects = try engine.apply(event)
        index.update(after: event, effects: effects, in: engine)
        #expect(index.statistics.crossedKeys > crossed)
    }

    /// Every live key of `market`, as the query reports it, sorted by (distance, slot), first `count`.
    static func fullScan(
        _ index: LiquidationIndex,
        market: MarketID,
        triggerPrice: Price,
        count: Int
    ) -> [LiquidationIndex.NearKey] {
        var all: [(key: LiquidationIndex.NearKey, slot: UInt32)] = []
        for side in 0..<2 {
            let book = index.books[2 * market.index + side]
            let probe = side == 0 ? triggerPrice.raw : -triggerPrice.raw
            for entry in book.sorted + book.pending where index.isLive(entry) {
                let distance = entry.key >= probe ? 0 : LiquidationIndex.gap(probe, entry.key)
                let key = LiquidationIndex.NearKey(
                    account: AccountID(entry.slot / UInt32(index.marketCount)),
                    market: market,
                    price: LiquidationIndex.keyPrice(entry.key, side: side),
                    fallingPrice: side == 0,
                    distance: distance
                )
                all.append((key, entry.slot))
            }
        }
        all.sort { $0.key.distance != $1.key.distance ? $0.key.distance < $1.key.distance : $0.slot < $1.slot }
        return all.prefix(count).map(\.key)
    }
}
