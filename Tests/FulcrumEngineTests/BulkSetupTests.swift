import FulcrumCore
import FulcrumEngine
import PropertyBased
import Testing

/// `ClearingEngine.openAccounts(_:counterparty:)` against the event sequence it stands for.
@Suite("Engine bulk setup")
struct BulkSetupTests {
    typealias F = Fixture
    typealias Opening = ClearingEngine.AccountOpening

    static let house = F.a(1)

    /// An engine with one market at 100, the backstop (account 0) and a well-funded house (account 1).
    static func base() throws -> ClearingEngine {
        try F.engine(deposits: ["1000000000", "1000000000"], mark: "100")
    }

    /// The documented event sequence of one opening for the new account `id`, applied to `engine`.
    static func applyEvents(_ o: Opening, to engine: inout ClearingEngine) throws {
        let id = AccountID(UInt32(engine.accountCount))
        try engine.apply(.deposit(account: id, amount: o.deposit))
        if o.mode == .isolated { try engine.apply(.setMarginMode(account: id, market: o.market, mode: .isolated)) }
        try engine.apply(.setLeverage(account: id, market: o.market, leverage: o.leverage))
        try engine.apply(.markPrice(market: o.market, price: o.price))
        try engine.apply(.indexPrice(market: o.market, price: o.price))
        let long = o.size.raw > 0
        try engine.apply(
            .trade(
                TradeEvent(
                    market: o.market,
                    buyer: long ? id : house,
                    seller: long ? house : id,
                    size: o.size.magnitude,
                    price: o.price
                )
            )
        )
        let rest = engine.balances[id.index]
        if o.mode == .isolated && rest.isPositive {
            try engine.apply(.adjustIsolatedMargin(account: id, market: o.market, amount: rest))
        }
    }

    /// A random opening: deposit 1–20,000, size 0.001–30 either side, price 50–150 on the tick, leverage 1–50,
    /// cross or isolated. Some violate initial margin.
    static func opening(_ random: inout SplitMixRandom) -> Opening {
        let deposit = Money(raw: Int64(1 + random.below(20_000)) * 100_000_000)
        let units = Int64(1 + random.below(30_000))  // × 0.001
        let size = Quantity(raw: (random.below(2) == 0 ? 1 : -1) * units * 100_000)
        let price = Price(raw: Int64(500 + random.below(1_001)) * 10_000_000)  // × 0.1
        let leverage = Leverage(raw: Int64(1 + random.below(50)) * 100_000_000)
        return Opening(
            deposit: deposit,
            market: F.btc,
            mode: random.below(2) == 0 ? .cross : .isolated,
            leverage: leverage,
            size: size,
            price: price
        )
    }

    /// `count` random openings that the event path accepts (rejected candidates are dropped), and the engine the
    /// event path built from them.
    static func population(seed: UInt64, count: Int) throws -> ([Opening], ClearingEngine) {
        var random = SplitMixRandom(seed: seed)
        var engine = try base()
        var accepted: [Opening] = []
        var rejected = 0
        while accepted.count < count {
            let candidate = opening(&random)
            var trial = engine
            do {
                try applyEvents(candidate, to: &trial)
                engine = trial
                accepted.append(candidate)
            } catch {
                rejected += 1
                #expect(rejected < 100 * count, "the generator rejects almost everything")
            }
        }
        return (accepted, engine)
    }

    @Test func bulkEqualsTheEventSequence() async throws {
        await propertyCheck(count: 12, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 1...120)) { seed, count in
            do {
                let (openings, events) = try Self.population(seed: seed, count: count)
                var bulk = try Self.base()
                let first = try bulk.openAccounts(openings, counterparty: Self.house)
                #expect(first == F.a(2))
                #expect(bulk.accountCount == 2 + count)
                #expect(bulk.stateHash == events.stateHash, "seed \(seed)")
                #expect(bulk.snapshotBytes() == events.snapshotBytes(), "seed \(seed)")
                #expect(bulk.eventCount == events.eventCount)
                try bulk.checkInvariants()
                // The same state clears the same way: a crash and a sweep give the same result on both.
                var crashed: [ClearingEngine] = []
                var swept: [[Effect]] = []
                for var engine in [bulk, events] {
                    try engine.apply(.markPrice(market: F.btc, price: F.price("70")))
                    try engine.apply(.indexPrice(market: F.btc, price: F.price("70")))
                    swept.append(try engine.apply(.liquidationSweep))
                    try engine.checkInvariants()
                    crashed.append(engine)
                }
                #expect(swept[0] == swept[1])
                #expect(crashed[0].stateHash == crashed[1].stateHash)
            } catch {
                Issue.record("seed \(seed), count \(count): \(error)")
            }
        }
    }

    /// Chunked calls with a reserve in front equal one call (the lab splits its population).
    @Test func chunksEqualOneCall() throws {
        let (openings, events) = try Self.population(seed: 7, count: 90)
        var chunked = try Self.base()
        chunked.reserveAccountCapacity(openings.count)
        for start in stride(from: 0, to: openings.count, by: 16) {
            try chunked.openAccounts(openings[start..<min(start + 16, openings.count)], counterparty: Self.house)
        }
        #expect(chunked.stateHash == events.stateHash)
        #expect(chunked.snapshotBytes() == events.snapshotBytes())
    }

    /// Bad input at index k: the error names `openings[k]` and the field; nothing changes (not even the accounts
    /// opened before index k in the same call).
    @Test(arguments: [
        ("deposit", EngineError.Code.invalidField, "openings[2].deposit"),
        ("market", .unknownMarket, "openings[2].market"),
        ("leverage", .invalidField, "openings[2].leverage"),
        ("margin", .insufficientMargin, "openings[2]"),
        ("step", .invalidField, "openings[2]: size"),
    ])
    func badInputThrowsAndLeavesTheStateUnchanged(field: String, code: EngineError.Code, text: String) throws {
        var engine = try Self.base()
        let (good, _) = try Self.population(seed: 11, count: 3)
        try engine.openAccounts(good[0..<1], counterparty: Self.house)
        let hash = engine.stateHash
        let bytes = engine.snapshotBytes()
        var bad = good[2]
        switch field {
        case "deposit": bad.deposit = .zero
        case "market": bad.market = MarketID(7)
        case "leverage": bad.leverage = F.lev("51")
        case "margin":
            bad.deposit = F.money("1")
            bad.size = F.qty("30")
            bad.leverage = F.lev("50")
            bad.mode = .cross
        default: bad.size = Quantity(raw: 123)
        }
        do {
            try engine.openAccounts([good[1], good[0], bad, good[2]], counterparty: Self.house)
            Issue.record("expected \(code) for \(field)")
        } catch {
            #expect(error.code == code)
            #expect(error.message.contains(text), "message: \(error.message)")
        }
        #expect(engine.stateHash == hash)
        #expect(engine.snapshotBytes() == bytes)
        try engine.checkInvariants()
        // A non-positive deposit is also what the event path refuses.
        if field == "deposit" {
            var events = engine
            #expect(throws: EngineError.self) { try Self.applyEvents(bad, to: &events) }
        }
    }

    /// On a bulk population (hundreds of holders), the first auto-deleveraging of a sweep with no liquidity closes
    /// against exactly the head of the full ADL queue (scored and fully sorted by `autoDeleveragingQueue`) that
    /// covers it: the lazily ordered queue of the clearing call gives the same order.
    @Test func firstDeleveragingFollowsTheFullQueue() async throws {
        await propertyCheck(count: 8, input: Gen.uint64(in: 0...UInt64.max), Gen.int(in: 100...400)) { seed, count in
            do {
                let (openings, _) = try Self.population(seed: seed, count: count)
                var engine = try Self.base()
                try engine.openAccounts(openings, counterparty: Self.house)
                try engine.apply(.markPrice(market: F.btc, price: F.price("60")))
                try engine.apply(.indexPrice(market: F.btc, price: F.price("60")))
                var probe = engine
                var executor = NoLiquidity()
                var effects: [Effect] = []
                try probe.liquidationSweep(executor: &executor, effects: &effects)
                guard let first = effects.firstIndex(where: { $0.kind == .autoDeleverage }),
                    let bankrupt = effects[first].account
                else { return }
                // Nothing before the first ADL changed a position (no liquidity: no fills).
                #expect(!effects[..<first].contains { $0.kind == .liquidationFill || $0.kind == .autoDeleverage })
                var group: [Effect] = []
                for effect in effects[first...] {
                    guard effect.kind == .autoDeleverage, effect.account == bankrupt else { break }
                    group.append(effect)
                }
                let held = engine.position(bankrupt, F.btc).size
                let queue = try engine.autoDeleveragingQueue(
                    market: F.btc,
                    side: held.isNegative ? .long : .short,
                    excluding: bankrupt
                )
                #expect(group.map(\.counterparty) == queue.prefix(group.count).map { Optional($0) }, "seed \(seed)")
            } catch {
                Issue.record("seed \(seed), count \(count): \(error)")
            }
        }
    }

    @Test func unknownCounterpartyIsRefused() throws {
        var engine = try Self.base()
        let (good, _) = try Self.population(seed: 12, count: 1)
        let hash = engine.stateHash
        #expect(throws: EngineError.self) { try engine.openAccounts(good, counterparty: F.a(99)) }
        #expect(engine.stateHash == hash)
    }
}
