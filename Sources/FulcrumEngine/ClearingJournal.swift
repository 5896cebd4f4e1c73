import FulcrumCore

/// The undo journal of an all-or-nothing engine call (the liquidation sweep event): the previous value of every
/// record the call writes, so a call that fails is rolled back in O(writes) instead of copying the engine's arrays
/// beforehand (a copy-on-write snapshot costs one allocation and one O(accounts) copy per array the call touches).
///
/// The engine keeps one value across calls (``ClearingEngine/journal``); ``begin(_:)`` empties it keeping every
/// buffer's capacity, so a call in steady state allocates nothing here. It is scratch only: never part of the state
/// hash, snapshots, invariants or any comparison of engines. While it is not recording (targeted liquidation, and
/// the events that restore their own few records) a write site costs one predictable branch.
///
/// Invariant: while ``isRecording`` is set, every write to `positions`, `balances`, `openPositionCounts`, `markets`
/// and `insuranceFunds` is preceded by the matching `willWrite` call of ``ClearingEngine`` (entries are restored in
/// reverse order, so an index written twice gets back its oldest value); the engine's scalar totals are saved whole
/// by ``begin(_:)``. `JournalTests` checks it by rolling back completed sweeps over random populations.
struct ClearingJournal {
    /// The engine's scalar totals at ``begin(_:)``.
    struct Totals {
        var feePool = Money.zero
        var totalDeposits = MoneySum()
        var totalWithdrawals = MoneySum()
        var socializedLoss = MoneySum()
        var badDebt = MoneySum()
        var sweepPending = false
        var eventCount: UInt64 = 0
    }

    /// Whether writes are being recorded.
    var isRecording = false
    /// Previous values, in write order.
    var positions: [(slot: Int, value: Position)] = []
    var balances: [(account: Int, value: Money)] = []
    var openPositionCounts: [(account: Int, value: Int32)] = []
    var markets: [(market: Int, value: MarketState)] = []
    var insuranceFunds: [(index: Int, value: Money)] = []
    /// The scalar totals when recording began.
    var totals = Totals()

    /// Starts recording with empty logs (capacity kept) and the engine's scalar totals.
    mutating func begin(_ totals: Totals) {
        clear()
        isRecording = true
        self.totals = totals
    }

    /// Stops recording and empties the logs, keeping their capacity.
    mutating func clear() {
        isRecording = false
        positions.removeAll(keepingCapacity: true)
        balances.removeAll(keepingCapacity: true)
        openPositionCounts.removeAll(keepingCapacity: true)
        markets.removeAll(keepingCapacity: true)
        insuranceFunds.removeAll(keepingCapacity: true)
    }
}
