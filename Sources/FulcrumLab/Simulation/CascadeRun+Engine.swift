import FulcrumCore
import FulcrumEngine

/// The reference clearing mode: the engine's full sweep every step (for tests of the frontier loop).
extension CascadeRun {
    /// Runs one path with a full ``ClearingEngine/liquidationSweep(executor:effects:)`` every step (the engine visits
    /// every account; no frontier, no keeper queue or latency), orders filled by the lab's liquidity like the default
    /// loop. O(accounts × steps): the reference the default loop (frontier + targeted liquidation) is checked
    /// against.
    ///
    /// - Returns: the finished run (metrics, trace, final accounts).
    static func runWithFullSweep(
        scenario: Scenario,
        population: AccountBook,
        path: Int,
        seed: UInt64
    ) throws(LabError) -> CascadeRun {
        let clearing = try EngineClearing(scenario: scenario, population: population, seed: seed)
        return try run(scenario: scenario, clearing: clearing, path: path, seed: seed, fullSweep: true)
    }

    /// One step of the reference mode: prices in, a full sweep with the book executor, effects into the metrics.
    mutating func sweepStep(oracle: Price, mark: Price, fundamental: Price) throws(LabError) -> (Int, MoneySum) {
        effects.removeAll(keepingCapacity: true)
        try clearing.setPrices(index: oracle, mark: mark, effects: &effects)
        effects.removeAll(keepingCapacity: true)
        var executor = BookExecutor(
            liquidity: liquidity,
            mid: fundamental,
            commit: scenario.feedback,
            counterparty: EngineClearing.house
        )
        do {
            try clearing.engine.liquidationSweep(executor: &executor, effects: &effects)
        } catch {
            throw LabError("engine sweep at step \(currentStep): \(error)")
        }
        if let failure = executor.failure { throw failure }
        liquidity = executor.liquidity
        metrics.worstSlippage = Swift.max(metrics.worstSlippage, executor.worstSlippage)
        let result = try account(effects: effects)
        for i in touched {
            accounts.flags[Int(i)] &= ~Self.flagTouched
            resync(Int(i), force: false)
        }
        touched.removeAll(keepingCapacity: true)
        return result
    }
}
