import FulcrumCore
import FulcrumEngine
import PropertyBased
import Testing

/// The incremental index finds exactly the accounts a full scan finds, after every event.
@Suite("Liquidation index properties")
struct LiquidationIndexPropertyTests {
    typealias P = IndexPopulation

    /// Random populations (isolated and cross, 1–3 markets, both sides, tiers up to each market's maximum leverage,
    /// linear and inverse, mark- and oracle-triggered) under random price paths without sweeps, so accounts under
    /// maintenance accumulate and recover: after every price update the index's set equals the full scan.
    @Test func indexEqualsFullScanOnPricePaths() async throws {
        await propertyCheck(count: 4, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                let checked = try Self.pricePath(seed: seed, accounts: 300, steps: 400)
                #expect(checked > 300)
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    /// The price paths above do put accounts under maintenance and bring some back (the property is not vacuous).
    @Test func pricePathsCrossKeysBothWays() throws {
        var random = SplitMixRandom(seed: 11)
        var engine = try P.engine(seed: 11, accounts: 300)
        var index = LiquidationIndex(engine: engine)
        var result: [AccountID] = []
        var seen = Set<AccountID>()
        var recovered = 0
        var previous: Set<AccountID> = []
        for _ in 0..<400 {
            let event = P.priceMove(engine, random: &random)
            let effects = try engine.apply(event)
            index.update(after: event, effects: effects, in: engine)
            index.accountsUnderMaintenance(into: &result)
            let now = Set(result)
            recovered += previous.subtracting(now).count
            seen.formUnion(now)
            previous = now
        }
        #expect(seen.count > 10)
        #expect(recovered > 0)
    }

    /// Runs a price path and compares after every step; returns the number of comparisons made.
    static func pricePath(seed: UInt64, accounts: Int, steps: Int) throws -> Int {
        var random = SplitMixRandom(seed: seed ^ 0x9E37_79B9)
        var engine = try P.engine(seed: seed, accounts: accounts)
        var index = LiquidationIndex(engine: engine)
        var result: [AccountID] = []
        var checked = 0
        for _ in 0..<steps {
            let event = P.priceMove(engine, random: &random)
            let effects = try engine.apply(event)
            guard case .indexPrice(let market, _) = event else {
                index.update(after: event, effects: effects, in: engine)
                index.accountsUnderMaintenance(into: &result)
                guard let expected = P.fullScan(engine) else { continue }
                #expect(result == expected, "seed \(seed) after \(event)")
                checked += 1
                continue
            }
            index.candidates(afterPriceUpdate: market, in: engine, into: &result)
            guard let expected = P.fullScan(engine) else { continue }
            #expect(result == expected, "seed \(seed) after \(event)")
            checked += 1
        }
        return checked
    }

    /// Random event streams (trades, both prices, funding, sweeps with socialization and ADL, deposits, withdrawals,
    /// leverage, margin modes, isolated-margin transfers, insurance deposits) on mixed venues: after every accepted
    /// event, `update(after:effects:in:)` leaves the index equal to the full scan. This also proves that
    /// ``LiquidationIndex/touchedAccounts(by:effects:)`` covers every mutation path the stream reaches.
    @Test func indexEqualsFullScanOnEventStreams() async throws {
        await propertyCheck(count: 3, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                let (checked, liquidations) = try Self.eventStream(seed: seed, count: 3_000, useTouchedSet: false)
                #expect(checked > 1_500)
                _ = liquidations
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    /// The same with the owner-side path: ``LiquidationIndex/touchedAccounts(by:effects:)`` then
    /// ``LiquidationIndex/refresh(_:in:)``; the stream liquidates.
    @Test func touchedSetsKeepTheIndexExact() throws {
        let (checked, liquidations) = try Self.eventStream(seed: 5, count: 3_000, useTouchedSet: true)
        #expect(checked > 1_500)
        #expect(liquidations > 0)
    }

    static func eventStream(seed: UInt64, count: Int, useTouchedSet: Bool) throws -> (Int, Int) {
        let chosen = [0, 1, 2, 3]
        var generator = EventGenerator(
            seed: seed,
            accounts: 60,
            listings: chosen.map { P.markets[$0].listing },
            initialPrices: chosen.map { Price(raw: P.markets[$0].price * P.unit) },
            deposit: Money(raw: 1_000 * P.unit),
            invalidPerMille: 10
        )
        var engine = ClearingEngine(configuration: EngineConfiguration(seed: seed))
        var index = LiquidationIndex(engine: engine)
        var effects: [Effect] = []
        var result: [AccountID] = []
        var checked = 0
        var liquidations = 0
        for _ in 0..<count {
            let event = generator.next()
            effects.removeAll(keepingCapacity: true)
            do {
                try engine.apply(event, effects: &effects)
            } catch {
                continue  // rejected: the state is unchanged (the engine's own property), so is the index
            }
            liquidations += effects.count { $0.kind == .liquidationFill || $0.kind == .autoDeleverage }
            if useTouchedSet {
                index.refresh(LiquidationIndex.touchedAccounts(by: event, effects: effects), in: engine)
            } else {
                index.update(after: event, effects: effects, in: engine)
            }
            index.accountsUnderMaintenance(into: &result)
            guard let expected = P.fullScan(engine) else { continue }
            #expect(result == expected, "seed \(seed) after \(event)")
            if result != expected { throw IndexMismatch(event: "\(event)") }
            checked += 1
        }
        return (checked, liquidations)
    }

    /// Stops a stream at the first mismatch (the following comparisons would only repeat it).
    struct IndexMismatch: Error, CustomStringConvertible {
        var event: String
        var description: String { "index differs from the full scan after \(event)" }
    }
}
