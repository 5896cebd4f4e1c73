import FulcrumCore

/// Runs K paths of a scenario on all cores with a deterministic merge.
///
/// Path `p` draws from stream `p` of the seed and nothing else, results land in slot `p`, and the summary reads the
/// slots in path order: the output is identical for any thread count and for any split into shards.
public enum MonteCarloRunner {
    /// The paths of shard `index` of `count` among `paths` paths: `p ≡ index (mod count)`.
    public static func shardPaths(paths: Int, index: Int, count: Int) -> [Int] {
        stride(from: index, to: paths, by: Swift.max(1, count)).map { $0 }
    }

    /// Generates the scenario's population (shared by all paths: the book under stress is the same, the price
    /// paths differ).
    public static func population(scenario: Scenario, seed: UInt64, threads: Int) throws(LabError) -> AccountBook {
        try scenario.validate()
        let history: [Price]
        if let recorded = scenario.entryHistory {
            history = recorded
        } else {
            history = try PopulationGenerator.syntheticHistory(
                start: scenario.startPrice,
                steps: scenario.population.entryWindowSteps,
                volatility: scenario.entryVolatility,
                tick: scenario.market.tickSize,
                seed: seed
            )
        }
        return try PopulationGenerator.generate(
            config: scenario.population,
            history: history,
            profile: scenario.profile,
            market: scenario.market,
            seed: seed,
            threads: threads
        )
    }

    /// Runs the listed paths over `population` on up to `threads` threads; `progress` is called after each path
    /// with the number finished (from worker threads; it must be thread-safe). The population is mirrored into one
    /// clearing engine, which every path copies (copy-on-write: a path pays for the arrays it changes).
    ///
    /// - Throws: the first ``LabError`` in path order.
    public static func run(
        scenario: Scenario,
        population: AccountBook,
        paths: [Int],
        seed: UInt64,
        threads: Int,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws(LabError) -> [PathMetrics] {
        guard !paths.isEmpty else { return [] }
        let clearing = try EngineClearing(scenario: scenario, population: population, seed: seed)
        if paths.count == 1 {
            // One path: it takes the engine over (no shared copy kept: the arrays are not duplicated).
            let metrics = try CascadeRun.run(scenario: scenario, clearing: consume clearing, path: paths[0], seed: seed)
                .metrics
            progress?(1)
            return [metrics]
        }
        var results = [Result<PathMetrics, LabError>?](repeating: nil, count: paths.count)
        let counter = ProgressCounter()
        results.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedBox(buffer)
            ParallelFor.run(count: paths.count, threads: threads) { k in
                out.value[k] = Result { () throws(LabError) -> PathMetrics in
                    try CascadeRun.run(scenario: scenario, clearing: clearing, path: paths[k], seed: seed).metrics
                }
                if let progress { progress(counter.increment()) }
            }
        }
        var metrics: [PathMetrics] = []
        metrics.reserveCapacity(paths.count)
        for r in results {
            if let r { metrics.append(try r.get()) }
        }
        return metrics
    }
}
