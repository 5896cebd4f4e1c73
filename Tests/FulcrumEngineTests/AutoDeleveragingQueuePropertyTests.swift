import FulcrumCore
import PropertyBased
import Testing

@testable import FulcrumEngine

/// The clearing call's cached, prefiltered ADL queue against the plain ``ClearingEngine/queue(_:sign:excluding:)``:
/// the same fills, effects and state on random populations and random sequences of liquidating sweeps.
@Suite("Engine ADL queue")
struct AutoDeleveragingQueuePropertyTests {
    typealias F = Fixture

    static let house = F.a(1)
    static let rankings: [AutoDeleveragingRule.Ranking] = [
        .pnlTimesLeverage, .pnlTimesMarginRatio, .unrealizedPnlAndLeverage, .pseudoRandom,
    ]

    /// Two markets (BTCUSDT, ETHUSDT) at 100 under `ranking`, the backstop (account 0) and a house (account 1), then
    /// `count` random openings (``BulkSetupTests/opening(_:)``: cross or isolated, either side) spread over both
    /// markets; about one account in four also trades the other market against the house (a cross account with two
    /// positions, which the bound scan cannot bound).
    static func population(
        seed: UInt64,
        count: Int,
        ranking: AutoDeleveragingRule.Ranking
    ) throws -> ClearingEngine {
        var random = SplitMixRandom(seed: seed)
        var engine = ClearingEngine(configuration: EngineConfiguration(seed: seed))
        let profile = F.profile(ranking: ranking)
        try engine.apply(.listMarket(MarketListing(spec: F.spec("BTCUSDT"), profile: profile)))
        try engine.apply(.listMarket(MarketListing(spec: F.spec("ETHUSDT"), profile: profile)))
        for id in [F.a(0), house] { try engine.apply(.deposit(account: id, amount: F.money("1000000000"))) }
        for market in [MarketID(0), MarketID(1)] {
            try engine.apply(.indexPrice(market: market, price: F.price("100")))
            try engine.apply(.markPrice(market: market, price: F.price("100")))
        }
        var opened = 0
        var attempts = 0
        while opened < count && attempts < 20 * count {
            attempts += 1
            var opening = BulkSetupTests.opening(&random)
            let market = MarketID(UInt32(random.below(2)))
            opening.market = market
            guard let id = try? engine.openAccounts([opening], counterparty: house) else { continue }
            opened += 1
            guard random.below(4) == 0 else { continue }
            let other = MarketID(1 - market.raw)
            let size = Quantity(raw: Int64(1 + random.below(5_000)) * 100_000)
            let long = random.below(2) == 0
            let trade = TradeEvent(
                market: other,
                buyer: long ? id : house,
                seller: long ? house : id,
                size: size,
                price: engine.markets[other.index].markPrice
            )
            _ = try? engine.apply(.trade(trade))
        }
        return engine
    }

    /// Runs `steps` random price moves on both markets, each followed by a liquidating sweep (no liquidity, the
    /// backstop, or a targeted liquidation of every account), on the engine with the cached queue (bound scan with
    /// `floor` candidates) and on a copy that takes every head from the plain queue; expects the same outcome, effects
    /// and state at every step. Returns the prefiltered builds and the completions the cached engine made.
    static func compare(
        seed: UInt64,
        count: Int,
        ranking: AutoDeleveragingRule.Ranking,
        floor: Int,
        steps: Int = 6
    ) throws -> (prefiltered: Int, completions: Int, deleveraged: Int) {
        var cached = try population(seed: seed, count: count, ranking: ranking)
        cached.clearingScratch.candidateFloor = floor
        var plain = cached
        plain.clearingScratch.usesPlainQueue = true
        var random = SplitMixRandom(seed: seed ^ 0x5EED)
        var deleveraged = 0
        for step in 0..<steps {
            var events: [EngineEvent] = []
            for market in [MarketID(0), MarketID(1)] {
                let price = Price(raw: Int64(550 + random.below(901)) * 10_000_000)  // 55.0 … 145.0
                events.append(.markPrice(market: market, price: price))
                events.append(.indexPrice(market: market, price: price))
            }
            for event in events {
                try cached.apply(event)
                try plain.apply(event)
            }
            let mode = random.below(3)
            var outcomes: [Result<[Effect], EngineError>] = []
            for index in 0..<2 {
                var effects: [Effect] = []
                do throws(EngineError) {
                    if index == 0 {
                        try Self.clear(&cached, mode: mode, effects: &effects)
                    } else {
                        try Self.clear(&plain, mode: mode, effects: &effects)
                    }
                    outcomes.append(.success(effects))
                } catch {
                    outcomes.append(.failure(error))
                }
            }
            #expect(outcomes[0] == outcomes[1], "seed \(seed) \(ranking) floor \(floor) step \(step) mode \(mode)")
            #expect(cached.stateHash == plain.stateHash, "seed \(seed) \(ranking) floor \(floor) step \(step)")
            if case .success(let effects) = outcomes[0] { deleveraged += effects.count { $0.kind == .autoDeleverage } }
        }
        try cached.checkInvariants()
        return (cached.clearingScratch.prefiltered, cached.clearingScratch.completions, deleveraged)
    }

    /// One clearing: 0 a sweep with no liquidity (every liquidation goes to ADL), 1 a sweep with the backstop,
    /// 2 a targeted liquidation of every account with no liquidity.
    static func clear(_ engine: inout ClearingEngine, mode: Int, effects: inout [Effect]) throws(EngineError) {
        var none = NoLiquidity()
        switch mode {
        case 0:
            try engine.apply(.liquidationSweep, executor: &none, effects: &effects)
        case 1:
            try engine.apply(.liquidationSweep, effects: &effects)
        default:
            let all = (0..<engine.accountCount).map { AccountID(UInt32($0)) }
            try engine.liquidate(accounts: all, executor: &none, effects: &effects)
        }
    }

    @Test func cachedQueueFillsEqualThePlainQueue() async throws {
        await propertyCheck(
            count: 12,
            input: Gen.uint64(in: 0...UInt64.max),
            Gen.int(in: 60...240),
            Gen.int(in: 0...3),
            Gen.int(in: 0...3)
        ) { seed, count, ranking, floorIndex in
            let floor = [1, 3, 16, 1_024][floorIndex]
            do {
                _ = try Self.compare(seed: seed, count: count, ranking: Self.rankings[ranking], floor: floor)
            } catch {
                Issue.record("seed \(seed), count \(count), ranking \(ranking), floor \(floor): \(error)")
            }
        }
    }

    /// The bound scan is exercised both ways on a fixed population: prefiltered builds, completions after the
    /// candidates ran out, and fills all equal to the plain queue's.
    @Test func prefilterAndCompletionAreExercised() throws {
        var prefiltered = 0
        var completions = 0
        var deleveraged = 0
        for seed in UInt64(1)...4 {
            for floor in [1, 3] {
                let run = try Self.compare(seed: seed, count: 200, ranking: .pnlTimesLeverage, floor: floor, steps: 8)
                prefiltered += run.prefiltered
                completions += run.completions
                deleveraged += run.deleveraged
            }
        }
        #expect(prefiltered > 0)
        #expect(completions > 0)
        #expect(deleveraged > 0)
    }

    /// A fresh clearing call's head (bound scan with a small candidate floor, so the base is completed when the
    /// quantity runs past the candidates) equals the plain queue's prefix that covers the quantity, for every market,
    /// side and ranking, at random prices and quantities from one holder's size to the whole side.
    @Test func freshHeadEqualsThePlainQueuePrefix() async throws {
        await propertyCheck(
            count: 24,
            input: Gen.uint64(in: 0...UInt64.max),
            Gen.int(in: 0...3),
            Gen.int(in: 0...3)
        ) { seed, ranking, floorIndex in
            let floor = [1, 3, 16, 1_024][floorIndex]
            do {
                var engine = try Self.population(seed: seed, count: 300, ranking: Self.rankings[ranking])
                var random = SplitMixRandom(seed: seed ^ 0xAD1)
                for _ in 0..<3 {
                    for market in [MarketID(0), MarketID(1)] {
                        let price = Price(raw: Int64(700 + random.below(601)) * 10_000_000)  // 70.0 … 130.0
                        try engine.apply(.markPrice(market: market, price: price))
                        try engine.apply(.indexPrice(market: market, price: price))
                    }
                    for market in 0..<2 {
                        for sign: Int64 in [-1, 1] {
                            let excluding = random.below(4) == 0 ? -1 : random.below(engine.accountCount)
                            let plain = try engine.queue(market, sign: sign, excluding: excluding)
                            let sizes = plain.map { engine.positions[$0.index * 2 + market].size.magnitude.raw }
                            let total = sizes.reduce(0, +)
                            guard total > 0 else { continue }
                            for share in [0, 1, 10, 50, 100] {
                                let quantity = Quantity(raw: max(1, total / 100 * Int64(share)))
                                var queues = AutoDeleveragingQueues()
                                queues.candidateFloor = floor
                                queues.reset(effects: 0, markets: 2)
                                try engine.cachedQueue(
                                    market,
                                    sign: sign,
                                    excluding: excluding,
                                    covering: quantity,
                                    queues: &queues,
                                    effects: []
                                )
                                var covered: Int64 = 0
                                var expected: [AccountID] = []
                                for (holder, size) in zip(plain, sizes) where covered < quantity.raw {
                                    expected.append(holder)
                                    covered += size
                                }
                                #expect(
                                    queues.head == expected,
                                    "seed \(seed) ranking \(ranking) floor \(floor) market \(market) sign \(sign)"
                                )
                            }
                        }
                    }
                }
            } catch {
                Issue.record("seed \(seed), ranking \(ranking): \(error)")
            }
        }
    }

    /// The bound of a holder's score is never below its exact score, on every holder of random populations at
    /// random prices (both sides, cross and isolated).
    @Test func scoreBoundIsAnUpperBound() async throws {
        await propertyCheck(count: 8, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                var engine = try Self.population(seed: seed, count: 150, ranking: .pnlTimesLeverage)
                var random = SplitMixRandom(seed: seed)
                for _ in 0..<4 {
                    let price = Price(raw: Int64(550 + random.below(901)) * 10_000_000)
                    try engine.apply(.markPrice(market: F.btc, price: price))
                    for holder in 0..<engine.accountCount where engine.positions[holder * 2].size.raw != 0 {
                        let bound = engine.leverageScoreBound(holder, 0, price: price)
                        guard bound.isFinite else { continue }
                        let exact = try engine.score(holder, 0, ranking: .pnlTimesLeverage)
                        #expect(exact <= Int128(bound.rounded(.up)), "seed \(seed) holder \(holder)")
                    }
                }
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }
}
