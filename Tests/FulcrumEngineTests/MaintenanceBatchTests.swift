import FulcrumCore
import FulcrumEngine
import PropertyBased
import Testing

/// The batch maintenance check equals the `crossMargin(of:)` evaluation, account by account.
@Suite("Maintenance batch")
struct MaintenanceBatchTests {
    typealias P = IndexPopulation

    /// The reference: cross equity `<` maintenance with an open cross position, per account.
    static func reference(_ engine: ClearingEngine) throws -> [Bool] {
        try (0..<engine.accountCount).map { account in
            let metrics = try engine.crossMargin(of: AccountID(UInt32(account)))
            return metrics.openPositions > 0 && metrics.equity < metrics.maintenance
        }
    }

    /// Expects the batch over every account, and over the two ranges split at `middle` (the parallel split), to equal
    /// the reference (`note` names the case in a failure); returns how many accounts are short.
    static func expectBatchEqualsReference(
        _ engine: ClearingEngine,
        splitAt middle: Int,
        _ note: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Int {
        let expected = try reference(engine)
        var result = [Bool](repeating: false, count: engine.accountCount)
        let short = try engine.maintenanceShortfalls(accounts: 0..<engine.accountCount, into: &result)
        #expect(result == expected, "\(note)", sourceLocation: sourceLocation)
        #expect(short == expected.count { $0 }, "\(note)", sourceLocation: sourceLocation)
        var first = [Bool](repeating: false, count: middle)
        var second = [Bool](repeating: false, count: engine.accountCount - middle)
        try engine.maintenanceShortfalls(accounts: 0..<middle, into: &first)
        try engine.maintenanceShortfalls(accounts: middle..<engine.accountCount, into: &second)
        #expect(first + second == expected, "\(note), split at \(middle)", sourceLocation: sourceLocation)
        return short
    }

    /// Moves a random price `moves` times (up to `maxPercent` each) and checks the batch after every move
    /// (``expectBatchEqualsReference(_:splitAt:_:sourceLocation:)``, split after the first `1/parts` of the
    /// accounts); expects some account to have been short along the way.
    static func expectBatchAlongPath(
        _ engine: inout ClearingEngine,
        random: inout SplitMixRandom,
        moves: Int,
        maxPercent: Int,
        parts: Int,
        _ note: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var shortSeen = 0
        for _ in 0..<moves {
            try engine.apply(P.priceMove(engine, random: &random, maxPercent: maxPercent))
            shortSeen += try expectBatchEqualsReference(
                engine,
                splitAt: engine.accountCount / parts,
                note,
                sourceLocation: sourceLocation
            )
        }
        #expect(
            shortSeen > 0,
            "\(note): the path should put some accounts under maintenance",
            sourceLocation: sourceLocation
        )
    }

    /// Random populations on every margin model (tiers, dYdX, Drift, Hyperliquid; linear and inverse) under random
    /// price paths: the batch equals the reference after every move, for the whole range and for split ranges.
    @Test func batchEqualsCrossMargin() async throws {
        await propertyCheck(count: 4, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                var random = SplitMixRandom(seed: seed)
                var engine = try P.engine(seed: seed, accounts: 200)
                try Self.expectBatchAlongPath(
                    &engine,
                    random: &random,
                    moves: 60,
                    maxPercent: 4,
                    parts: 2,
                    "seed \(seed)"
                )
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    /// A size-bounded tier table (OKX position tiers: the tier follows the size, not the notional) is left to the
    /// engine's exact functions: longs of 1 to 8,000 BTC with 2× leverage, at prices where only the larger sizes'
    /// tiers (higher rates) put them under maintenance, equal the reference (the notional-view of the table, the
    /// first tier's rate, would find none short).
    @Test func sizeBoundedTiersEqualReference() throws {
        let market = try MarketCatalog.market(venue: .okx, symbol: "BTC-USDT-SWAP")
        var engine = ClearingEngine()
        var effects: [Effect] = []
        func send(_ event: EngineEvent) throws {
            effects.removeAll(keepingCapacity: true)
            try engine.apply(event, effects: &effects)
        }
        let id = MarketID(0)
        let entry = try Price(units: 100_000)
        try send(.listMarket(MarketListing(spec: market, profile: .okx)))
        try send(.indexPrice(market: id, price: entry))
        try send(.markPrice(market: id, price: entry))
        try send(.deposit(account: AccountID(0), amount: try Money(units: 50_000_000_000)))
        let sizes: [Int64] = [1, 20, 100, 300, 700, 1_100, 3_000, 8_000]  // BTC, across the size tiers
        for (index, units) in sizes.enumerated() {
            let account = AccountID(UInt32(index + 1))
            try send(.deposit(account: account, amount: try Money(units: units * 50_000)))  // half the notional
            let trade = TradeEvent(
                market: id,
                buyer: account,
                seller: AccountID(0),
                size: try Quantity(units: units),
                price: entry
            )
            try send(.trade(trade))
        }
        var shortSeen = 0
        for percent: Int64 in [60, 55, 53, 51, 50] {
            let price = try Price(units: 1_000 * percent)
            try send(.markPrice(market: id, price: price))
            try send(.indexPrice(market: id, price: price))
            let expected = try Self.reference(engine)
            var result = [Bool](repeating: false, count: engine.accountCount)
            let short = try engine.maintenanceShortfalls(accounts: 0..<engine.accountCount, into: &result)
            #expect(result == expected, "at \(percent) %")
            shortSeen += short
        }
        #expect(shortSeen > 0)
    }

    /// A linear-only population takes the fast path everywhere (the Binance tiers and Hyperliquid), and still equals
    /// the reference at prices far from the start (higher tiers, more shortfalls).
    @Test func fastPathEqualsReferenceAcrossTiers() throws {
        var engine = try P.engine(seed: 3, accounts: 300, marketCount: 2)
        for percent: Int64 in [100, 97, 93, 88, 120, 140] {
            for market in 0..<2 {
                let price = Price(raw: P.markets[market].price * P.unit / 100 * percent)
                try engine.apply(.markPrice(market: MarketID(UInt32(market)), price: price))
                try engine.apply(.indexPrice(market: MarketID(UInt32(market)), price: price))
            }
            var result = [Bool](repeating: false, count: engine.accountCount)
            try engine.maintenanceShortfalls(accounts: 0..<engine.accountCount, into: &result)
            #expect(result == (try Self.reference(engine)), "at \(percent) %")
        }
    }

    /// The batch loop has a copy per market count (one to four, where the count is a constant, and the general one):
    /// each equals the reference under a random price path, for the whole range and a split one. With one market
    /// every position is on Binance's tiers (the bound); two to five add dYdX, BitMEX (inverse), Drift and
    /// Hyperliquid, so each copy also takes the per-position and exact fallbacks.
    @Test(arguments: 1...5)
    func everyMarketCountEqualsReference(marketCount: Int) throws {
        var engine = try P.engine(seed: 40 + UInt64(marketCount), accounts: 300, marketCount: marketCount)
        #expect(engine.marketCount == marketCount)
        var random = SplitMixRandom(seed: UInt64(marketCount))
        try Self.expectBatchAlongPath(
            &engine,
            random: &random,
            moves: 40,
            maxPercent: 5,
            parts: 3,
            "\(marketCount) markets"
        )
    }

    /// Accounts moved exactly onto the boundary (cross equity − maintenance = −1 or 0, by a deposit) are decided
    /// exactly: the division-free bound leaves its band of `3n` raw units to the per-position path, on tiered and
    /// dYdX markets alike.
    @Test(arguments: [UInt64(5), 6, 7])
    func accountsOnTheBoundaryAreExact(seed: UInt64) throws {
        var engine = try P.engine(seed: seed, accounts: 400, marketCount: 2)
        for market in 0..<2 {
            let price = Price(raw: P.markets[market].price * P.unit / 100 * 90)  // −10 %
            try engine.apply(.markPrice(market: MarketID(UInt32(market)), price: price))
            try engine.apply(.indexPrice(market: MarketID(UInt32(market)), price: price))
        }
        var onBoundary: [Int: Int128] = [:]
        for account in 1..<engine.accountCount {
            let id = AccountID(UInt32(account))
            let metrics = try engine.crossMargin(of: id)
            let gap = metrics.equity - metrics.maintenance
            guard metrics.openPositions > 0, gap < -1 else { continue }
            let target: Int128 = account % 2 == 0 ? -1 : 0  // still short by one unit / just not short
            try engine.apply(.deposit(account: id, amount: Money(raw: Int64(target - gap))))
            onBoundary[account] = target
        }
        #expect(onBoundary.count > 10, "seed \(seed): the shock should put accounts under maintenance")
        for (account, target) in onBoundary {
            let metrics = try engine.crossMargin(of: AccountID(UInt32(account)))
            #expect(metrics.equity - metrics.maintenance == target)
        }
        var result = [Bool](repeating: false, count: engine.accountCount)
        let short = try engine.maintenanceShortfalls(accounts: 0..<engine.accountCount, into: &result)
        let expected = try Self.reference(engine)
        #expect(result == expected)
        #expect(short == expected.count { $0 })
        for (account, target) in onBoundary { #expect(result[account] == (target < 0)) }
    }

    /// Bad ranges and buffers are rejected with the field and the value.
    @Test func badInputIsRejected() throws {
        let engine = try P.engine(seed: 1, accounts: 10)
        var result = [Bool](repeating: false, count: 5)
        #expect(throws: EngineError.self) { try engine.maintenanceShortfalls(accounts: 0..<50, into: &result) }
        do {
            try engine.maintenanceShortfalls(accounts: 0..<4, into: &result)
            Issue.record("a result buffer of the wrong size must be rejected")
        } catch {
            #expect(error.message.contains("result count 5"))
        }
        // A batch prepared at other prices is refused; prepared again, it gives the reference.
        var moved = engine
        var batch = MaintenanceBatch(engine: engine)
        try moved.apply(.markPrice(market: MarketID(0), price: Price(raw: 61_000 * P.unit)))
        var all = [Bool](repeating: false, count: moved.accountCount)
        #expect(throws: EngineError.self) {
            try moved.maintenanceShortfalls(accounts: 0..<11, using: batch, into: &all)
        }
        batch.prepare(moved)
        try moved.maintenanceShortfalls(accounts: 0..<11, using: batch, into: &all)
        #expect(all == (try Self.reference(moved)))
    }

    /// `isUnderMaintenance` is the sweep's trigger: right after a sweep at unchanged prices no one is under it,
    /// and an account found under it is acted on by the next sweep.
    @Test func isUnderMaintenanceMatchesTheSweep() throws {
        var random = SplitMixRandom(seed: 8)
        var engine = try P.engine(seed: 8, accounts: 200, marketCount: 2)
        var acted = 0
        for _ in 0..<80 {
            try engine.apply(P.priceMove(engine, random: &random, maxPercent: 5))
            let under = (0..<engine.accountCount).filter {
                (try? engine.isUnderMaintenance(AccountID(UInt32($0)))) == true
            }
            let effects = try engine.apply(.liquidationSweep)
            let touched = Set(effects.compactMap(\.account).map(\.index))
            for account in under { #expect(touched.contains(account), "account \(account) was under maintenance") }
            acted += under.count
        }
        #expect(acted > 0)
    }
}
