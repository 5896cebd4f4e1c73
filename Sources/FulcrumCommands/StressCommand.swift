public import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumIO
import FulcrumLab

/// `fulcrum stress`: run the cascade lab — the liquidation feedback loop under Monte Carlo (built-in default
/// scenario when no `--scenario` is given; see `docs/SCENARIO.md`).
public struct StressCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Run the cascade lab: the liquidation feedback loop under Monte Carlo (built-in default scenario)."
    )

    @Option(name: .customLong("scenario"), help: "Scenario file (JSON; see docs/SCENARIO.md).")
    var scenarioPath: String?

    @Option(
        help: """
            Venue whose rules clear the run: binance, bybit, okx, hyperliquid, dydx, drift, generic (its profile and \
            BTC market tiers; overrides the scenario's venue). bitmex is refused: its BTC market is inverse.
            """
    )
    var venue: String?

    @Option(help: "Number of accounts (overrides the scenario).")
    var accounts: Int?

    @Option(help: "Number of Monte Carlo paths K.")
    var paths: Int = 1

    @Option(help: "Random seed S (same seed ⇒ same result for any thread count).")
    var seed: UInt64 = 1

    @Option(help: "Number of steps (overrides the scenario).")
    var steps: Int?

    @Option(help: "Instant drop in percent at the shock step (20 = −20 %; overrides the scenario's shock).")
    var shock: Double?

    @Option(name: .customLong("depth-scale"), help: "Multiplies the book depth.")
    var depthScale: Double?

    @Flag(name: .customLong("no-feedback"), help: "Liquidations do not move the price (the control run).")
    var noFeedback = false

    @Option(help: "Write a self-contained HTML report to PATH.")
    var report: String?

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Option(help: "Write per-step and per-path CSV files into DIR (and venues.csv in a multi-venue run).")
    var csv: String?

    @Option(help: "Sweep PARAM=LO:HI:N (e.g. insuranceFund=0:20000000:5).")
    var sweep: String?

    @Option(help: "Run only shard I of N (paths p with p mod N = I) and write the shard file (see --output).")
    var shard: String?

    @Option(help: "Where --shard writes its shard file (default: stdout).")
    var output: String?

    @Option(help: "Worker threads (default: all cores; results do not depend on it).")
    var threads: Int?

    @Flag(
        help: ArgumentHelp(
            "Kept for compatibility: every run clears its liquidations through FulcrumEngine.",
            visibility: .hidden
        )
    )
    var engine = false

    public init() {}

    public func validate() throws {
        if let accounts, accounts < 0 || accounts > 50_000_000 {
            throw ValidationError("--accounts \(accounts) must be in 0...50000000")
        }
        guard paths >= 1, paths <= 10_000_000 else { throw ValidationError("--paths \(paths) must be in 1...10000000") }
        if let steps, steps < 1 || steps > 10_000_000 {
            throw ValidationError("--steps \(steps) must be in 1...10000000")
        }
        if let shock, !(shock > -1_000 && shock < 100) {
            throw ValidationError("--shock \(shock) must be in (-1000, 100) percent")
        }
        if let depthScale, !(depthScale > 0 && depthScale.isFinite) {
            throw ValidationError("--depth-scale \(depthScale) must be positive")
        }
        if let threads, threads < 1 || threads > 1_024 {
            throw ValidationError("--threads \(threads) must be in 1...1024")
        }
        if let sweep { _ = try Self.parseSweep(sweep) }
        if let shard { _ = try Self.parseShard(shard) }
        if shard != nil && sweep != nil { throw ValidationError("--shard and --sweep cannot be combined") }
    }

    /// Parses `PARAM=LO:HI:N`.
    static func parseSweep(_ text: String) throws -> (String, Double, Double, Int) {
        let kv = text.split(separator: "=", maxSplits: 1)
        let parts = kv.count == 2 ? kv[1].split(separator: ":") : []
        guard kv.count == 2, parts.count == 3, let lo = Double(parts[0]), let hi = Double(parts[1]),
            let n = Int(parts[2]),
            n >= 1, n <= 1_000, lo.isFinite, hi.isFinite
        else { throw ValidationError("--sweep \"\(text)\" must be PARAM=LO:HI:N with 1 ≤ N ≤ 1000") }
        let name = String(kv[0])
        guard Scenario.sweepableParameters[name] != nil else {
            let known = Scenario.sweepableParameters.keys.sorted().joined(separator: ", ")
            throw ValidationError("--sweep parameter \"\(name)\" is unknown (known: \(known))")
        }
        return (name, lo, hi, n)
    }

    /// Parses `I/N`.
    static func parseShard(_ text: String) throws -> (Int, Int) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else {
            throw ValidationError("--shard \"\(text)\" must be I/N with 0 ≤ I < N")
        }
        return (i, n)
    }

    /// The scenario after file and command-line overrides.
    func resolvedScenario() throws -> Scenario {
        var scenario = try scenarioPath.map { try LabScenarioFile.load(path: $0) } ?? Scenario.builtIn()
        if let venue { scenario = try scenario.onVenue(venue) }
        if let accounts { scenario.population.count = accounts }
        if let steps { scenario.steps = steps }
        if let shock { scenario = try scenario.setting("shock", to: shock) }
        if let depthScale { scenario.liquidity.depthScale = depthScale }
        if noFeedback { scenario.feedback = false }
        try scenario.validate()
        return scenario
    }

    public func run() throws {
        LargeBufferPolicy.forPaths(sweep == nil ? paths : 2).apply()
        let scenario: Scenario
        do {
            scenario = try resolvedScenario()
        } catch let error as LabError {
            throw ValidationError(error.message)
        }
        let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let clock = ContinuousClock()
        let started = clock.now
        let bar = ProgressBar(total: paths, enabled: !json && (paths >= 4 || scenario.population.count >= 200_000))
        if let shard {
            let (index, count) = try Self.parseShard(shard)
            let mine = MonteCarloRunner.shardPaths(paths: paths, index: index, count: count)
            let outcome = try StressDriver.run(
                scenario: scenario,
                paths: mine,
                seed: seed,
                threads: workers,
                traces: false,
                progress: bar.update
            )
            bar.finish()
            let header = ShardFile.Header(
                paths: paths,
                accounts: outcome.population.count,
                seed: seed,
                shardIndex: index,
                shardCount: count,
                scenario: ShardFile.fingerprint(scenario)
            )
            let text = ShardFile.encode(header: header, metrics: outcome.metrics)
            if let output { try LabFiles.write(text, to: output) } else { print(text, terminator: "") }
            return
        }
        let outcome = try StressDriver.run(
            scenario: scenario,
            paths: Array(0..<paths),
            seed: seed,
            threads: workers,
            traces: report != nil || csv != nil,
            progress: bar.update
        )
        bar.finish()
        var points: [SweepPoint] = []
        if let sweep {
            let (name, lo, hi, n) = try Self.parseSweep(sweep)
            points = try StressDriver.sweep(
                scenario: scenario,
                parameter: name,
                low: lo,
                high: hi,
                count: n,
                paths: paths,
                seed: seed,
                threads: workers
            )
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let summary = MonteCarloSummary(paths: outcome.metrics, accounts: outcome.population.count, seconds: seconds)
        var labReport = LabReport(
            scenario: scenario,
            summary: summary,
            trace: outcome.trace,
            controlTrace: outcome.controlTrace,
            population: outcome.population,
            sweep: points
        )
        labReport.venueTraces = outcome.venueTraces  // multi-venue runs only
        if scenario.lending != nil {
            // Lending layer: path 0's contagion report, from the traced run when there was one, else path 0 again.
            labReport.contagion =
                try outcome.contagion
                ?? CascadeRun.contagion(
                    scenario: scenario,
                    population: outcome.population,
                    linkedPopulations: outcome.linkedPopulations,
                    path: 0,
                    seed: seed
                )
        }
        if let report { try LabFiles.write(labReport.html(), to: report) }
        if let csv {
            try LabFiles.createDirectory(csv)
            if let trace = outcome.trace { try LabFiles.write(LabReport.csv(trace: trace), to: csv + "/steps.csv") }
            if let control = outcome.controlTrace {
                try LabFiles.write(LabReport.csv(trace: control), to: csv + "/steps-no-feedback.csv")
            }
            try LabFiles.write(labReport.pathsCSV(), to: csv + "/paths.csv")
            if !outcome.venueTraces.isEmpty {
                try LabFiles.write(labReport.venuesCSV(), to: csv + "/venues.csv")
            }
            let venuePaths = labReport.venuePathsCSV()  // multi-venue runs only
            if !venuePaths.isEmpty { try LabFiles.write(venuePaths, to: csv + "/venue-paths.csv") }
        }
        if json { print(labReport.json()) } else { print(labReport.terminalTable(), terminator: "") }
    }
}
