import FulcrumCore
import FulcrumEngine
import PropertyBased
import Testing

/// Invariants under random event streams (including malformed and margin-failing events).
@Suite("Engine properties")
struct EnginePropertyTests {
    typealias F = Fixture

    static func listings() -> [MarketListing] {
        var eth = F.spec("ETHUSDT")
        eth.tickSize = F.price("0.01")
        eth.stepSize = F.qty("0.01")
        return [
            MarketListing(spec: F.spec("BTCUSDT"), profile: F.profile(ranking: .pnlTimesLeverage)),
            MarketListing(
                spec: eth,
                profile: F.profile(
                    ranking: .socializeProRata,
                    procedure: .partialSteps(fraction: F.rate("0.25"), thresholdNotional: F.money("1000")),
                    scope: .perMarket,
                    funding: .twapSpread(offsetDenominator: 5000, cap: F.rate("0.03")),
                    fundingInterval: 3600,
                    rateInterval: 3600
                )
            ),
        ]
    }

    /// Runs `count` generated events; checks every invariant after every event and that rejected events leave
    /// the state hash unchanged. Returns the final hash and the number of accepted events.
    static func run(seed: UInt64, accounts: Int, count: Int) throws -> (UInt64, Int, Int) {
        var generator = EventGenerator(
            seed: seed,
            accounts: accounts,
            listings: listings(),
            initialPrices: [F.price("30000"), F.price("2000")],
            deposit: F.money("1000"),
            invalidPerMille: 20
        )
        var engine = ClearingEngine(configuration: EngineConfiguration(seed: seed))
        var accepted = 0
        var liquidations = 0
        var effects: [Effect] = []
        for _ in 0..<count {
            let event = generator.next()
            let before = engine.stateHash
            effects.removeAll(keepingCapacity: true)
            do {
                try engine.apply(event, effects: &effects)
                accepted += 1
                liquidations += effects.count { $0.kind == .liquidationFill || $0.kind == .autoDeleverage }
            } catch {
                #expect(engine.stateHash == before, "rejected \(event) changed the state")
                #expect(effects.isEmpty)
            }
            try engine.checkInvariants()
        }
        return (engine.stateHash, accepted, liquidations)
    }

    @Test func invariantsHoldAfterEveryEvent() async throws {
        await propertyCheck(count: 3, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                let (_, accepted, _) = try Self.run(seed: seed, accounts: 200, count: 10_000)
                #expect(accepted > 5_000)
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    @Test func replayIsDeterministic() throws {
        let first = try Self.run(seed: 42, accounts: 300, count: 10_000)
        let second = try Self.run(seed: 42, accounts: 300, count: 10_000)
        #expect(first.0 == second.0)
        #expect(first.2 > 0, "the stream should exercise liquidations")
        let other = try Self.run(seed: 43, accounts: 300, count: 10_000)
        #expect(other.0 != first.0)
    }
}
