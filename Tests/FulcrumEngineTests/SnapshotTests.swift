import FulcrumCore
import FulcrumEngine
import PropertyBased
import Testing

/// `ClearingEngine.snapshotBytes()` / `init(snapshotBytes:)`: exact round trip, same behaviour afterwards,
/// corrupt and truncated bytes rejected.
@Suite("Engine snapshots")
struct SnapshotTests {
    typealias F = Fixture

    /// Catalog markets from five venues (linear, inverse, dYdX, Hyperliquid, Drift): every profile variant the
    /// shipped catalog has goes through the codec.
    static func catalogListings() -> [MarketListing] {
        [
            MarketListing(spec: MarketCatalog.binanceBTCUSDT, profile: .binance),
            MarketListing(spec: MarketCatalog.bitmexXBTUSD, profile: .bitmex),
            MarketListing(spec: MarketCatalog.dydxBTC, profile: .dydx),
            MarketListing(spec: MarketCatalog.hyperliquidETH, profile: .hyperliquid),
            MarketListing(spec: MarketCatalog.driftSOL, profile: .drift),
            MarketListing(spec: MarketCatalog.okxBTC, profile: .okx),
            MarketListing(spec: MarketCatalog.bybitBTCUSD, profile: .bybit),
        ]
    }

    static let catalogPrices = ["30000", "30000", "30000", "2000", "100", "30000", "30000"]

    /// A generator over `listings` (accepted events only are applied by callers).
    static func generator(seed: UInt64, catalog: Bool) -> EventGenerator {
        EventGenerator(
            seed: seed,
            accounts: 60,
            listings: catalog ? catalogListings() : EnginePropertyTests.listings(),
            initialPrices: catalog ? catalogPrices.map(F.price) : [F.price("30000"), F.price("2000")],
            deposit: F.money("1000"),
            invalidPerMille: 20
        )
    }

    /// Applies `count` candidates, keeping the rejected ones out; returns the number accepted.
    @discardableResult
    static func advance(_ engine: inout ClearingEngine, _ generator: inout EventGenerator, count: Int) -> Int {
        var accepted = 0
        for _ in 0..<count where (try? engine.apply(generator.next())) != nil { accepted += 1 }
        return accepted
    }

    /// Field-by-field equality over the public state (the hash covers most of it; this covers the rest).
    static func expectSameState(_ a: ClearingEngine, _ b: ClearingEngine) {
        #expect(a.stateHash == b.stateHash)
        #expect(a.configuration == b.configuration)
        #expect(a.markets == b.markets)
        #expect(a.specs == b.specs)
        #expect(a.profiles == b.profiles)
        #expect(a.defaultLeverages == b.defaultLeverages)
        #expect(a.balances == b.balances)
        #expect(a.insuranceFunds == b.insuranceFunds)
        #expect(a.feePool == b.feePool)
        #expect(a.totalDeposits == b.totalDeposits)
        #expect(a.totalWithdrawals == b.totalWithdrawals)
        #expect(a.socializedLoss == b.socializedLoss)
        #expect(a.badDebt == b.badDebt)
        #expect(a.eventCount == b.eventCount)
        #expect(a.sweepPending == b.sweepPending)
        for market in 0..<a.marketCount {
            let id = MarketID(UInt32(market))
            #expect(b.marketID(symbol: a.specs[market].symbol) == id)
            #expect(a.triggerPrice(id) == b.triggerPrice(id))
            #expect(a.insuranceFundIndex(for: id) == b.insuranceFundIndex(for: id))
        }
        var positionsEqual = true
        for account in 0..<a.accountCount {
            for market in 0..<a.marketCount
            where a.position(AccountID(UInt32(account)), MarketID(UInt32(market)))
                != b.position(AccountID(UInt32(account)), MarketID(UInt32(market)))
            {
                positionsEqual = false
            }
        }
        #expect(positionsEqual)
    }

    /// Cuts a random stream at a random point, restores, then feeds the same further events to both engines:
    /// every outcome (effects, rejection code, state hash) must match, which catches any field the hash misses.
    static func checkRoundTrip(seed: UInt64, cut: Int, catalog: Bool) throws {
        var generator = generator(seed: seed, catalog: catalog)
        var original = ClearingEngine(configuration: EngineConfiguration(seed: seed, maxCleanupPasses: 9))
        advance(&original, &generator, count: cut)
        let bytes = original.snapshotBytes()
        var restored = try ClearingEngine(snapshotBytes: bytes)
        expectSameState(original, restored)
        let reencoded = restored.snapshotBytes()
        let identical = reencoded == bytes
        #expect(identical, "re-encoding must give the same bytes (\(reencoded.count) vs \(bytes.count))")
        var divergences = 0
        var liquidations = 0
        for _ in 0..<2_000 {
            let event = generator.next()
            var left: [Effect] = []
            var right: [Effect] = []
            var leftError: EngineError?
            var rightError: EngineError?
            do { try original.apply(event, effects: &left) } catch { leftError = error }
            do { try restored.apply(event, effects: &right) } catch { rightError = error }
            liquidations += left.count { $0.kind == .liquidationFill || $0.kind == .autoDeleverage }
            if left != right || leftError != rightError || original.stateHash != restored.stateHash {
                divergences += 1
            }
        }
        #expect(divergences == 0, "seed \(seed) cut \(cut): \(divergences) events diverged after restore")
        try restored.checkInvariants()
        expectSameState(original, restored)
        _ = liquidations
    }

    @Test func roundTripOverRandomStreams() async throws {
        await propertyCheck(count: 4, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 0...3_000)) { seed, cut in
            do {
                try Self.checkRoundTrip(seed: seed, cut: cut, catalog: false)
            } catch {
                Issue.record("seed \(seed) cut \(cut): \(error)")
            }
        }
    }

    @Test func roundTripOverCatalogVenues() async throws {
        await propertyCheck(count: 3, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 50...3_000)) { seed, cut in
            do {
                try Self.checkRoundTrip(seed: seed, cut: cut, catalog: true)
            } catch {
                Issue.record("seed \(seed) cut \(cut): \(error)")
            }
        }
    }

    @Test func restoredStreamExercisesLiquidations() throws {
        // The behavioural comparison above is only meaningful if the continued stream liquidates something.
        var generator = Self.generator(seed: 7, catalog: false)
        var engine = ClearingEngine(configuration: EngineConfiguration(seed: 7))
        Self.advance(&engine, &generator, count: 1_500)
        var restored = try ClearingEngine(snapshotBytes: engine.snapshotBytes())
        var liquidations = 0
        for _ in 0..<8_000 {
            let event = generator.next()
            let effects = (try? restored.apply(event)) ?? []
            liquidations += effects.count { $0.kind == .liquidationFill || $0.kind == .autoDeleverage }
        }
        #expect(liquidations > 0)
    }

    @Test func emptyEngineRoundTrips() throws {
        let empty = ClearingEngine(configuration: EngineConfiguration(backstopAccount: AccountID(3), seed: 99))
        let restored = try ClearingEngine(snapshotBytes: empty.snapshotBytes())
        Self.expectSameState(empty, restored)
        let magic = Array(empty.snapshotBytes().prefix(4))
        #expect(magic == Array("FLCS".utf8))
    }

    /// A small engine with positions in two markets, for the corruption tests.
    static func smallSnapshot() throws -> [UInt8] {
        var generator = generator(seed: 11, catalog: false)
        var engine = ClearingEngine()
        advance(&engine, &generator, count: 200)
        #expect(engine.accountCount > 0)
        return engine.snapshotBytes()
    }

    @Test func everyTruncationThrows() throws {
        let bytes = try Self.smallSnapshot()
        var accepted: [Int] = []
        for length in 0..<bytes.count where (try? ClearingEngine(snapshotBytes: Array(bytes.prefix(length)))) != nil {
            accepted.append(length)
        }
        #expect(accepted.isEmpty, "truncated snapshots accepted at lengths \(accepted.prefix(5))")
        #expect(throws: EngineError.self) { try ClearingEngine(snapshotBytes: bytes + [0]) }
    }

    @Test func everySingleByteCorruptionThrows() throws {
        let bytes = try Self.smallSnapshot()
        var accepted: [Int] = []
        for offset in 0..<bytes.count {
            var corrupt = bytes
            corrupt[offset] ^= 0x5A
            if (try? ClearingEngine(snapshotBytes: corrupt)) != nil { accepted.append(offset) }
        }
        #expect(accepted.isEmpty, "corrupt snapshots accepted at offsets \(accepted.prefix(5))")
    }

    @Test func errorsNameTheProblem() throws {
        let bytes = try Self.smallSnapshot()
        let cases: [([UInt8], EngineError.Code, String)] = [
            ([], .invalidField, "magic"),
            (Array("JUNK".utf8) + bytes.dropFirst(4), .invalidField, "magic"),
            (Array(bytes.prefix(4)) + [3, 0, 0, 0] + bytes.dropFirst(8), .unsupported, "version 3"),
            (Array(bytes.dropLast(3)), .invalidField, "payload length"),
            (Array(bytes.dropLast(8)) + [1, 2, 3, 4, 5, 6, 7, 8], .invalidField, "checksum"),
        ]
        for (input, code, text) in cases {
            do {
                _ = try ClearingEngine(snapshotBytes: input)
                Issue.record("expected \(code) mentioning \(text)")
            } catch {
                #expect(error.code == code)
                #expect(error.message.contains(text), "message: \(error.message)")
            }
        }
    }
}
