import FulcrumCore
import PropertyBased
import Synchronization
import Testing

@testable import FulcrumEngine

/// The targeted liquidation entry point against the full sweep on random states.
@Suite("Targeted liquidation")
struct TargetedLiquidationTests {
    /// A random state: a generated event stream without its sweeps (so accounts under maintenance and bankrupt
    /// accounts pile up), ending on a price move. Uses the property tests' two markets (one ranked ADL, one
    /// socializing per-market fund with partial liquidation).
    static func state(seed: UInt64, accounts: Int = 120, events: Int = 3_000) -> ClearingEngine {
        var generator = EventGenerator(
            seed: seed,
            accounts: accounts,
            listings: EnginePropertyTests.listings(),
            initialPrices: [Fixture.price("30000"), Fixture.price("2000")],
            deposit: Fixture.money("1000")
        )
        var engine = ClearingEngine(configuration: EngineConfiguration(seed: seed))
        var effects: [Effect] = []
        for _ in 0..<events {
            let event = generator.next()
            if case .liquidationSweep = event { continue }
            effects.removeAll(keepingCapacity: true)
            try? engine.apply(event, effects: &effects)
        }
        return engine
    }

    /// Every account the sweep's per-account test would act on, found by a full scan through the public API.
    static func underMaintenance(_ engine: ClearingEngine) throws -> [AccountID] {
        var found: [AccountID] = []
        for index in 0..<engine.accountCount {
            let account = AccountID(UInt32(index))
            let cross = try engine.crossMargin(of: account)
            var needs =
                cross.openPositions > 0 ? cross.equity < cross.maintenance : engine.balances[index].raw < 0
            for market in 0..<engine.marketCount {
                let id = MarketID(UInt32(market))
                let position = engine.position(account, id)
                guard position.isOpen, position.mode == .isolated else { continue }
                let pool = try engine.isolatedMargin(of: account, in: id)
                if pool.equity < pool.maintenance { needs = true }
            }
            if needs { found.append(account) }
        }
        return found
    }

    @Test func listingEveryAccountUnderMaintenanceEqualsTheSweep() async throws {
        let totals = Totals()
        await propertyCheck(count: 12, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                let engine = Self.state(seed: seed)
                let listed = try Self.underMaintenance(engine)
                var swept = engine
                var sweptEffects: [Effect] = []
                var backstop = BackstopExecutor(account: AccountID(0))
                try swept.liquidationSweep(executor: &backstop, effects: &sweptEffects)
                var targeted = engine
                var targetedEffects: [Effect] = []
                backstop = BackstopExecutor(account: AccountID(0))
                try targeted.liquidate(accounts: listed.reversed(), executor: &backstop, effects: &targetedEffects)
                #expect(targetedEffects == sweptEffects, "seed \(seed)")
                // Documented differences: the targeted call is not a log event and never clears sweepPending.
                #expect(targeted.eventCount == engine.eventCount)
                #expect(swept.eventCount == engine.eventCount + 1)
                #expect(targeted.sweepPending == (engine.sweepPending || swept.sweepPending))
                targeted.eventCount = swept.eventCount
                targeted.sweepPending = swept.sweepPending
                #expect(targeted.stateHash == swept.stateHash, "seed \(seed)")
                try targeted.checkInvariants()
                totals.add(listed: listed.count, effects: targetedEffects)
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
        // The property must be able to fail: the states really liquidate, deleverage and socialize.
        #expect(totals.listed > 0)
        #expect(totals.fills > 0)
        #expect(totals.reaching > 0)
    }

    @Test func listingHealthyAccountsChangesNothing() async throws {
        await propertyCheck(count: 8, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                var engine = Self.state(seed: seed)
                let unhealthy = Set(try Self.underMaintenance(engine))
                let healthy = (0..<engine.accountCount).map { AccountID(UInt32($0)) }.filter { !unhealthy.contains($0) }
                #expect(!healthy.isEmpty)
                let before = engine.stateHash
                var effects: [Effect] = []
                var backstop = BackstopExecutor(account: AccountID(0))
                try engine.liquidate(accounts: healthy + healthy, executor: &backstop, effects: &effects)
                #expect(effects.isEmpty)
                #expect(engine.stateHash == before)
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    @Test func orderAndDuplicatesDoNotMatter() throws {
        let engine = Self.state(seed: 77)
        let listed = try Self.underMaintenance(engine)
        #expect(listed.count > 1)
        var sorted = engine
        var shuffled = engine
        var first: [Effect] = []
        var second: [Effect] = []
        var backstop = BackstopExecutor(account: AccountID(0))
        try sorted.liquidate(accounts: listed, executor: &backstop, effects: &first)
        var random = SplitMixRandom(seed: 5)
        var order = listed + listed.prefix(3)
        for index in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(index, random.below(index + 1))
        }
        backstop = BackstopExecutor(account: AccountID(0))
        try shuffled.liquidate(accounts: order, executor: &backstop, effects: &second)
        #expect(first == second)
        #expect(sorted.stateHash == shuffled.stateHash)
    }

    @Test func unknownAccountIsRejectedBeforeAnyChange() throws {
        var engine = Self.state(seed: 3)
        let listed = try Self.underMaintenance(engine)
        let before = engine.stateHash
        var effects: [Effect] = []
        var backstop = BackstopExecutor(account: AccountID(0))
        let missing = AccountID(UInt32(engine.accountCount))
        #expect(throws: EngineError.self) {
            try engine.liquidate(accounts: listed + [missing], executor: &backstop, effects: &effects)
        }
        #expect(effects.isEmpty)
        #expect(engine.stateHash == before)
    }
}

/// Counters shared across property-check iterations.
private final class Totals: Sendable {
    private let counts = Mutex((listed: 0, fills: 0, reaching: 0))

    var listed: Int { counts.withLock { $0.listed } }
    var fills: Int { counts.withLock { $0.fills } }
    var reaching: Int { counts.withLock { $0.reaching } }

    func add(listed count: Int, effects: [Effect]) {
        let fills = effects.count { $0.kind == .liquidationFill }
        let reaching = effects.count { $0.kind == .autoDeleverage || $0.kind == .socializedLoss }
        counts.withLock {
            $0.listed += count
            $0.fills += fills
            $0.reaching += reaching
        }
    }
}
