import FulcrumCore
import PropertyBased
import Synchronization
import Testing

@testable import FulcrumEngine

/// The undo journal (``ClearingJournal``) that makes a liquidation sweep all-or-nothing without copying the engine:
/// every record a sweep writes must be journaled, which these tests check by rolling back sweeps that did a lot.
@Suite("Undo journal")
struct JournalTests {
    /// Every stored record of an engine that a clearing call may write, compared exactly (the state hash too).
    struct Records: Equatable, CustomStringConvertible {
        var hash: UInt64
        var balances: [Money]
        var positions: [Position]
        var openPositionCounts: [Int32]
        var markets: [MarketState]
        var insuranceFunds: [Money]
        var feePool: Money
        var totals: [MoneySum]
        var sweepPending: Bool
        var eventCount: UInt64

        init(_ engine: ClearingEngine) {
            hash = engine.stateHash
            balances = engine.balances
            positions = engine.positions
            openPositionCounts = engine.openPositionCounts
            markets = engine.markets
            insuranceFunds = engine.insuranceFunds
            feePool = engine.feePool
            totals = [engine.totalDeposits, engine.totalWithdrawals, engine.socializedLoss, engine.badDebt]
            sweepPending = engine.sweepPending
            eventCount = engine.eventCount
        }

        /// Short, so a failure does not print every record.
        var description: String { "state hash \(hash), \(balances.count) accounts" }

        /// The records that differ from `other` (the first index of each array that does), empty when equal.
        func differences(from other: Records) -> [String] {
            func first<T: Equatable>(_ name: String, _ a: [T], _ b: [T]) -> String? {
                guard a != b else { return nil }
                let index = a.indices.first { $0 >= b.count || a[$0] != b[$0] } ?? a.count
                return "\(name)[\(index)]"
            }
            var found = [
                first("balances", balances, other.balances),
                first("positions", positions, other.positions),
                first("openPositionCounts", openPositionCounts, other.openPositionCounts),
                first("markets", markets, other.markets),
                first("insuranceFunds", insuranceFunds, other.insuranceFunds),
                first("totals", totals, other.totals),
            ].compactMap { $0 }
            if feePool != other.feePool { found.append("feePool") }
            if sweepPending != other.sweepPending { found.append("sweepPending") }
            if eventCount != other.eventCount { found.append("eventCount") }
            if hash != other.hash { found.append("stateHash") }
            return found
        }
    }

    /// Effect kinds seen over a test, to show the rollbacks covered every branch of the waterfall.
    final class Kinds: Sendable {
        private let state = Mutex((seen: Set<Effect.Kind>(), effects: 0))
        func add(_ list: [Effect]) {
            state.withLock {
                for effect in list { $0.seen.insert(effect.kind) }
                $0.effects += list.count
            }
        }
        var snapshot: (Set<Effect.Kind>, Int) { state.withLock { ($0.seen, $0.effects) } }
    }

    /// An executor that fills the first `fills` orders against the backstop, then returns a fill at price 0, which
    /// the engine refuses mid-sweep (after writing the earlier fills, fees and covers).
    struct FailingExecutor: LiquidationExecutor {
        var fills: Int
        var backstop = BackstopExecutor(account: AccountID(0))
        mutating func fill(_ order: LiquidationOrder) -> LiquidationFill? {
            guard fills > 0 else { return LiquidationFill(price: .zero, counterparty: AccountID(0)) }
            fills -= 1
            return backstop.fill(order)
        }
    }

    /// The two-market generated states of the targeted-liquidation tests (ranked ADL; per-market fund with partial
    /// steps and socialized loss), rolled back after a complete sweep.
    @Test func rollingBackACompletedSweepRestoresEveryRecord() async throws {
        let kinds = Kinds()
        await propertyCheck(count: 16, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            do {
                var engine = TargetedLiquidationTests.state(seed: seed)
                let before = Records(engine)
                var effects: [Effect] = []
                var executor = BackstopExecutor(account: AccountID(0))
                let kept = try engine.withJournal { (engine: inout ClearingEngine) throws -> Bool in
                    try engine.sweep(executor: &executor, effects: &effects)
                    return false
                }
                #expect(!kept)
                #expect(
                    Records(engine).differences(from: before) == [],
                    "seed \(seed): \(effects.count) effects not undone"
                )
                #expect(!engine.journal.isRecording)
                kinds.add(effects)
                // The journal keeps nothing between calls, and the engine still sweeps as before.
                var again = engine
                var redo: [Effect] = []
                try again.apply(.liquidationSweep, effects: &redo)
                #expect(redo == effects, "seed \(seed)")
                try again.checkInvariants()
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
        let (seen, count) = kinds.snapshot
        // 168–403 effects over 16 random seeds (a socialized loss is one market-wide effect, however many it charges);
        // the kinds below are the stronger check.
        #expect(count > 16, "the sweeps rolled back must have done something (\(count) effects)")
        for kind in [Effect.Kind.liquidationFill, .liquidationFee, .insuranceCover, .socializedLoss, .fundingDust] {
            #expect(seen.contains(kind), "no \(kind) effect was rolled back: the test would not see a missed write")
        }
    }

    /// Every venue profile of the index tests (Binance tiers, dYdX, BitMEX inverse, Drift, Hyperliquid), isolated and
    /// cross, after a 30 % crash (fills, fees, insurance cover, ADL, bad debt): a completed sweep rolled back, and
    /// sweeps failing after 0, 1, 7 and 40 fills.
    @Test(arguments: [UInt64(3), 17, 2_026])
    func venueSweepsFailingMidWayLeaveTheStateUnchanged(seed: UInt64) throws {
        var engine = try IndexPopulation.engine(seed: seed, accounts: 600)
        for index in IndexPopulation.markets.indices {
            // A small fund per market (the shared one for shared-scope venues): covered first, then ADL or bad debt.
            let fund = Money(raw: 2_000 * IndexPopulation.unit)
            try engine.apply(.insuranceDeposit(market: MarketID(UInt32(index)), amount: fund))
        }
        for (index, market) in IndexPopulation.markets.enumerated() {
            let crash = Price(raw: market.price * IndexPopulation.unit / 10 * 7)
            try engine.apply(.indexPrice(market: MarketID(UInt32(index)), price: crash))
            try engine.apply(.markPrice(market: MarketID(UInt32(index)), price: crash))
        }
        let before = Records(engine)
        var complete = engine
        let swept = try complete.apply(.liquidationSweep)
        try complete.checkInvariants()
        let fills = swept.filter { $0.kind == .liquidationFill }.count
        #expect(fills > 40, "the crash must liquidate enough to fail late (\(fills) fills)")
        let kinds = Set(swept.map(\.kind))
        for kind in [Effect.Kind.liquidationFee, .insuranceCover, .autoDeleverage, .badDebt] {
            #expect(kinds.contains(kind), "seed \(seed): no \(kind) effect to roll back (\(kinds))")
        }

        var rolledBack = engine
        var effects: [Effect] = []
        var backstop = BackstopExecutor(account: AccountID(0))
        _ = try rolledBack.withJournal { (engine: inout ClearingEngine) throws -> Bool in
            try engine.sweep(executor: &backstop, effects: &effects)
            return false
        }
        #expect(Records(rolledBack).differences(from: before) == [])

        for count in [0, 1, 7, 40] {
            var failing = engine
            var failingEffects = [Effect(kind: .markPrice, market: MarketID(0), price: .zero)]  // kept as it was
            var executor = FailingExecutor(fills: count)
            #expect(throws: EngineError.self) {
                try failing.apply(.liquidationSweep, executor: &executor, effects: &failingEffects)
            }
            #expect(Records(failing).differences(from: before) == [], "failing after \(count) fills")
            #expect(failingEffects.count == 1)
            // The journal is left empty and off, and the engine sweeps exactly as one that never failed.
            #expect(!failing.journal.isRecording && failing.journal.positions.isEmpty)
            let retried = try failing.apply(.liquidationSweep)
            #expect(retried == swept)
            #expect(Records(failing).differences(from: Records(complete)) == [])
        }
    }

    /// ``ClearingEngine/applyLiquidationSweepIfActing(effects:)``: a sweep that does nothing leaves the state (event
    /// count and pending flag included) unchanged; one that acts equals the sweep event.
    @Test func sweepIfActingKeepsOnlySweepsThatAct() throws {
        var engine = try IndexPopulation.engine(seed: 5, accounts: 200)
        var effects: [Effect] = []
        #expect(try engine.applyLiquidationSweepIfActing(effects: &effects) == false)
        #expect(effects.isEmpty)
        let quiet = Records(engine)
        #expect(try engine.applyLiquidationSweepIfActing(effects: &effects) == false)
        #expect(Records(engine).differences(from: quiet) == [])

        let crash = Price(raw: IndexPopulation.markets[0].price * IndexPopulation.unit / 10 * 7)
        try engine.apply(.markPrice(market: MarketID(0), price: crash))
        let moved = Records(engine)
        #expect(moved.sweepPending)
        var event = engine
        let expected = try event.apply(.liquidationSweep)
        #expect(!expected.isEmpty)
        effects = []
        #expect(try engine.applyLiquidationSweepIfActing(effects: &effects))
        #expect(effects == expected)
        #expect(Records(engine).differences(from: Records(event)) == [])
    }
}
