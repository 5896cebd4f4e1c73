import FulcrumCore

/// Targeted liquidation: the sweep's clearing, restricted to the accounts a caller found (for example through an
/// index of liquidation prices), so a step costs O(listed accounts) instead of O(all accounts).
extension ClearingEngine {
    /// Liquidates the listed accounts that are under maintenance with `executor`, emitting the same effects the
    /// sweep (``liquidationSweep(executor:effects:)``) emits for them.
    ///
    /// Each listed account goes through the sweep's own per-account clearing (trigger at the profile's trigger
    /// price, partial or full close per the ``LiquidationProcedure``, backstop takeover, fee, insurance fund, ADL,
    /// socialized loss, bad debt), in ascending id order whatever the order of `accounts` (duplicates count once);
    /// accounts not under maintenance and the backstop account are skipped. Accounts the call itself reaches (the
    /// executor's counterparty, ADL'd holders: every account or counterparty of an effect it emits; every other
    /// holder of the market of a socialized loss, which one market-wide effect charges) are visited too, where the
    /// sweep would visit them: later in the same pass when their id is above the account being cleared, in the
    /// clean-up passes otherwise. Unlisted accounts the call does not reach are never
    /// read. Hence listing every account under maintenance gives exactly the sweep's state and effects; an account
    /// under maintenance that is neither listed nor reached is left for a later call (or sweep).
    ///
    /// The call is not an event of the log: ``eventCount`` does not change. It does not clear ``sweepPending``
    /// (it examined only the listed accounts, so it cannot vouch for the others): the flag keeps its value and is
    /// set when the clean-up passes hit ``EngineConfiguration/maxCleanupPasses`` without converging.
    ///
    /// Cost: O(k log k) for k listed and reached accounts plus the clearing of each (an ADL or a socialization still
    /// scans the market's holders, as in the sweep); no copy of the engine's state.
    ///
    /// - Throws: ``EngineError/Code/unknownAccount`` naming the first id that does not exist, before any change.
    ///   Unlike ``apply(_:executor:effects:)``, the call does not journal its writes for a rollback (it is the lab's
    ///   hot path): an error during clearing (a 64-bit overflow, or an executor breaking its contract) stops it with
    ///   the accounts before the failing one cleared and their effects kept in `effects`, and the failing account
    ///   possibly half-cleared. Callers that need all-or-nothing use the sweep event (journaled) or keep a copy of the
    ///   engine.
    public mutating func liquidate<Executor: LiquidationExecutor>(
        accounts: some Sequence<AccountID>,
        executor: inout Executor,
        effects: inout [Effect]
    ) throws(EngineError) {
        // The reused lists move out of `self` for the call, so they stay uniquely referenced (no copy-on-write).
        var lists = TargetedClearingLists()
        swap(&lists, &targetedLists)
        defer { swap(&lists, &targetedLists) }
        lists.scope.removeAll(keepingCapacity: true)
        lists.socialized.removeAll(keepingCapacity: true)
        for account in accounts {
            guard account.index < balances.count else {
                throw EngineError(
                    .unknownAccount,
                    "accounts: account \(account) does not exist (\(balances.count) accounts)"
                )
            }
            lists.scope.append(account.index)
        }
        guard !lists.scope.isEmpty else { return }
        lists.scope.sort()
        var kept = 1
        for index in 1..<lists.scope.count where lists.scope[index] != lists.scope[kept - 1] {
            lists.scope[kept] = lists.scope[index]
            kept += 1
        }
        lists.scope.removeLast(lists.scope.count - kept)
        let pending = sweepPending
        do {
            let converged = try clear(everyAccount: false, lists: &lists, executor: &executor, effects: &effects)
            sweepPending = pending || !converged
        } catch {
            throw Self.engineError(error, context: "targeted liquidation")
        }
    }
}
