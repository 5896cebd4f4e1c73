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

    /// Every venue's population in a multi-venue scenario (the main venue first, drawn from `seed` exactly as
    /// ``population(scenario:seed:threads:)``; venue `k` from ``Scenario/venueSeed(_:seed:)``).
    public static func populations(scenario: Scenario, seed: UInt64, threads: Int) throws(LabError) -> [AccountBook] {
        try scenario.validate()
        var all: [AccountBook] = []
        for (k, venue) in scenario.venueScenarios.enumerated() {
            all.append(try population(scenario: venue, seed: Scenario.venueSeed(k, seed: seed), threads: threads))
        }
        return all
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
        linkedPopulations: [AccountBook]? = nil,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws(LabError) -> [PathMetrics] {
        guard !paths.isEmpty else { return [] }
        if scenario.isMultiVenue {
            let linked: [AccountBook]
            if let linkedPopulations {
                linked = linkedPopulations
            } else {
                linked = Array(try populations(scenario: scenario, seed: seed, threads: threads).dropFirst())
            }
            let clearings = try MultiVenueRun.clearings(
                scenario: scenario,
                populations: [population] + linked,
                seed: seed
            )
            return try parallel(paths: paths, threads: threads, progress: progress) { path throws(LabError) in
                try MultiVenueRun.run(scenario: scenario, clearings: clearings, path: path, seed: seed).metrics
            }
        }
        let clearing = try EngineClearing(scenario: scenario, population: population, seed: seed)
        if paths.count == 1 {
            // One path: it takes the engine over (no shared copy kept: the arrays are not duplicated).
            let metrics = try CascadeRun.run(scenario: scenario, clearing: consume clearing, path: paths[0], seed: seed)
                .metrics
            progress?(1)
            return [metrics]
        }
        return try parallel(paths: paths, threads: threads, progress: progress) { path throws(LabError) in
            try CascadeRun.run(scenario: scenario, clearing: clearing, path: path, seed: seed).metrics
        }
    }

    /// Runs `body` for every listed path on up to `threads` threads; results land in path-list order.
    ///
    /// - Throws: the first ``LabError`` in path order.
    static func parallel(
        paths: [Int],
        threads: Int,
        progress: (@Sendable (Int) -> Void)?,
        body: @escaping @Sendable (Int) throws(LabError) -> PathMetrics
    ) throws(LabError) -> [PathMetrics] {
        var results = [Result<PathMetrics, LabError>?](repeating: nil, count: paths.count)
        let counter = ProgressCounter()
        results.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedBox(buffer)
            ParallelFor.run(count: paths.count, threads: threads) { k in
                out.value[k] = Result { () throws(LabError) -> PathMetrics in try body(paths[k]) }
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
