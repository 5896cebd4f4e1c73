import FulcrumCore

/// All-or-nothing calls through the undo journal (``ClearingJournal``).
extension ClearingEngine {
    /// Runs `body` on `self` with every write journaled; keeps its changes when it returns `true`, rolls them back
    /// when it returns `false` or throws (then rethrows).
    ///
    /// Cost: O(1) to start, O(writes) to roll back; no copy of the engine's arrays, and no allocation once the
    /// journal's buffers are sized. A call nested in a journaled call runs `body` inside the outer journal (the outer
    /// call's rollback then undoes it too); its `false` is returned without a rollback of its own.
    ///
    /// - Returns: whether the changes were kept.
    mutating func withJournal(_ body: (inout ClearingEngine) throws -> Bool) throws -> Bool {
        guard !journal.isRecording else { return try body(&self) }
        // The totals are read first: passing `self` whole to the journal's mutating call would copy the engine.
        let totals = ClearingJournal.Totals(
            feePool: feePool,
            totalDeposits: totalDeposits,
            totalWithdrawals: totalWithdrawals,
            socializedLoss: socializedLoss,
            badDebt: badDebt,
            sweepPending: sweepPending,
            eventCount: eventCount
        )
        journal.begin(totals)
        let keep: Bool
        do {
            keep = try body(&self)
        } catch {
            rollBackJournal()
            throw error
        }
        if keep { journal.clear() } else { rollBackJournal() }
        return keep
    }

    /// Restores every journaled record (newest first) and the saved totals, then stops recording.
    ///
    /// Complexity: O(journaled writes).
    mutating func rollBackJournal() {
        var log = ClearingJournal()
        swap(&log, &journal)  // the buffers stay uniquely referenced while `self` is written
        for entry in log.positions.reversed() { positions[entry.slot] = entry.value }
        for entry in log.balances.reversed() { balances[entry.account] = entry.value }
        for entry in log.openPositionCounts.reversed() { openPositionCounts[entry.account] = entry.value }
        for entry in log.markets.reversed() { markets[entry.market] = entry.value }
        for entry in log.insuranceFunds.reversed() { insuranceFunds[entry.index] = entry.value }
        feePool = log.totals.feePool
        totalDeposits = log.totals.totalDeposits
        totalWithdrawals = log.totals.totalWithdrawals
        socializedLoss = log.totals.socializedLoss
        badDebt = log.totals.badDebt
        sweepPending = log.totals.sweepPending
        eventCount = log.totals.eventCount
        log.clear()
        swap(&log, &journal)
    }

    /// Journals `positions[slot]` before a write.
    @inline(__always)
    mutating func willWrite(position slot: Int) {
        if journal.isRecording { journal.positions.append((slot, positions[slot])) }
    }

    /// Journals `balances[account]` before a write.
    @inline(__always)
    mutating func willWrite(balance account: Int) {
        if journal.isRecording { journal.balances.append((account, balances[account])) }
    }

    /// Journals `openPositionCounts[account]` before a write.
    @inline(__always)
    mutating func willWrite(openPositionCount account: Int) {
        if journal.isRecording { journal.openPositionCounts.append((account, openPositionCounts[account])) }
    }

    /// Journals `markets[market]` before a write.
    @inline(__always)
    mutating func willWrite(market: Int) {
        if journal.isRecording { journal.markets.append((market, markets[market])) }
    }

    /// Journals `insuranceFunds[index]` before a write.
    @inline(__always)
    mutating func willWrite(insuranceFund index: Int) {
        if journal.isRecording { journal.insuranceFunds.append((index, insuranceFunds[index])) }
    }
}

extension ClearingEngine {
    /// Applies a ``EngineEvent/liquidationSweep`` event (with the backstop executor) only if it acts: when the sweep
    /// emits no effect it is rolled back, so the state (``eventCount`` and ``sweepPending`` included) is unchanged,
    /// and `false` is returned. A service that logs only the sweeps that did something calls this after a price
    /// move, and its log replays to the same state.
    ///
    /// Cost: the sweep's; a sweep that acts on nobody writes nothing, so its rollback is O(1). No copy of the
    /// engine's arrays.
    ///
    /// - Returns: whether the sweep acted (its effects were appended to `effects` and kept).
    /// - Throws: ``EngineError``; the state and `effects` are then unchanged.
    public mutating func applyLiquidationSweepIfActing(effects: inout [Effect]) throws(EngineError) -> Bool {
        let start = effects.count
        var executor = BackstopExecutor(account: configuration.backstopAccount)
        do {
            return try withJournal { (engine: inout ClearingEngine) throws -> Bool in
                try engine.apply(.liquidationSweep, executor: &executor, effects: &effects)
                return effects.count > start
            }
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.invalidState, "\(error)")
        }
    }
}
