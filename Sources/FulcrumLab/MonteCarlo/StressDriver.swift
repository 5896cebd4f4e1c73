import FulcrumCore

/// Runs what `fulcrum stress` asks for: population, Monte Carlo paths (or one shard of them), path 0's traces
/// with and without feedback, and an optional sweep. Pure: the command does the I/O.
public enum StressDriver {
    /// The outcome of a run.
    public struct Outcome: Sendable {
        /// Per-path metrics of the paths this process ran (all paths, or one shard's).
        public var metrics: [PathMetrics]
        /// The population.
        public var population: AccountBook
        /// Path 0 with feedback (when traces were requested and path 0 ran here).
        public var trace: PathTrace?
        /// Path 0 with feedback off (the control), when traces were requested.
        public var controlTrace: PathTrace?
        /// In a multi-venue run, the linked venues' populations (in `venues` order).
        public var linkedPopulations: [AccountBook] = []
        /// In a multi-venue run, path 0's trace of every venue (the main venue first, equal to ``trace``), when
        /// traces were requested.
        public var venueTraces: [PathTrace] = []
        /// Path 0's lending contagion report, read from the traced run (with a lending layer, when traces were
        /// requested and path 0 ran here): ``CascadeRun/contagion(scenario:population:linkedPopulations:path:seed:)``
        /// without running the path again.
        public var contagion: ContagionReport?
    }

    /// Runs `paths` (all indices or a shard's) of `scenario`.
    ///
    /// - Throws: ``LabError`` from validation or any path.
    public static func run(
        scenario: Scenario,
        paths: [Int],
        seed: UInt64,
        threads: Int,
        traces: Bool,
        progress: (@Sendable (Int) -> Void)? = nil
    ) throws(LabError) -> Outcome {
        if scenario.isMultiVenue {
            return try runVenues(
                scenario: scenario,
                paths: paths,
                seed: seed,
                threads: threads,
                traces: traces,
                progress: progress
            )
        }
        let population = try MonteCarloRunner.population(scenario: scenario, seed: seed, threads: threads)
        let metrics = try MonteCarloRunner.run(
            scenario: scenario,
            population: population,
            paths: paths,
            seed: seed,
            threads: threads,
            progress: progress
        )
        var trace: PathTrace?
        var control: PathTrace?
        var contagion: ContagionReport?
        if traces, paths.contains(0) {
            let traced = try CascadeRun.run(
                scenario: scenario,
                clearing: try EngineClearing(scenario: scenario, population: population, seed: seed),
                path: 0,
                seed: seed,
                recordTrace: true
            )
            trace = traced.trace
            contagion = try traced.contagionReport()
            var off = scenario
            off.feedback = false
            control = try CascadeRun.run(scenario: off, population: population, path: 0, seed: seed, recordTrace: true)
                .trace
        }
        var outcome = Outcome(metrics: metrics, population: population, trace: trace, controlTrace: control)
        outcome.contagion = contagion
        return outcome
    }

    /// ``run(scenario:paths:seed:threads:traces:progress:)`` for a multi-venue scenario: every venue's
    /// population, the paths through ``MultiVenueRun``, and path 0's traces of every venue.
    static func runVenues(
        scenario: Scenario,
        paths: [Int],
        seed: UInt64,
        threads: Int,
        traces: Bool,
        progress: (@Sendable (Int) -> Void)?
    ) throws(LabError) -> Outcome {
        let populations = try MonteCarloRunner.populations(scenario: scenario, seed: seed, threads: threads)
        let linked = Array(populations.dropFirst())
        let metrics = try MonteCarloRunner.run(
            scenario: scenario,
            population: populations[0],
            paths: paths,
            seed: seed,
            threads: threads,
            linkedPopulations: linked,
            progress: progress
        )
        var outcome = Outcome(metrics: metrics, population: populations[0], trace: nil, controlTrace: nil)
        outcome.linkedPopulations = linked
        if traces, paths.contains(0) {
            let clearings = try MultiVenueRun.clearings(scenario: scenario, populations: populations, seed: seed)
            let run = try MultiVenueRun.run(
                scenario: scenario,
                clearings: clearings,
                path: 0,
                seed: seed,
                recordTrace: true
            )
            outcome.venueTraces = run.traces
            outcome.trace = run.traces.first
            outcome.contagion = try run.venues[0].contagionReport()
            var off = scenario
            off.feedback = false
            let control = try MultiVenueRun.run(
                scenario: off,
                clearings: try MultiVenueRun.clearings(scenario: off, populations: populations, seed: seed),
                path: 0,
                seed: seed,
                recordTrace: true
            )
            outcome.controlTrace = control.traces.first
        }
        return outcome
    }

    /// A sweep: `count` evenly spaced values of `parameter` from `low` to `high`, each a full Monte Carlo run.
    ///
    /// - Throws: ``LabError`` naming the parameter when it is unknown or a value is invalid.
    public static func sweep(
        scenario: Scenario,
        parameter: String,
        low: Double,
        high: Double,
        count: Int,
        paths: Int,
        seed: UInt64,
        threads: Int
    ) throws(LabError) -> [SweepPoint] {
        guard count >= 1, count <= 1_000 else { throw LabError("sweep count \(count) must be in 1...1000") }
        var points: [SweepPoint] = []
        for k in 0..<count {
            let value = count == 1 ? low : low + (high - low) * Double(k) / Double(count - 1)
            let variant = try scenario.setting(parameter, to: value)
            let population = try MonteCarloRunner.population(scenario: variant, seed: seed, threads: threads)
            let metrics = try MonteCarloRunner.run(
                scenario: variant,
                population: population,
                paths: Array(0..<paths),
                seed: seed,
                threads: threads
            )
            points.append(
                SweepPoint(
                    parameter: parameter,
                    value: value,
                    summary: MonteCarloSummary(paths: metrics, accounts: population.count, seconds: 0)
                )
            )
        }
        return points
    }
}
