public import ArgumentParser
import FulcrumIO
import FulcrumLab

/// `fulcrum merge`: combine the shard files of `fulcrum stress --shard I/N` runs into the result of the unsharded
/// run (same per-path metrics, same summary).
public struct MergeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge `fulcrum stress --shard I/N` shard files into the unsharded result."
    )

    @Argument(help: "Shard files written by `fulcrum stress --shard I/N --output FILE`.")
    var shards: [String] = []

    @Option(
        name: .customLong("scenario"),
        help: "The scenario file the shards ran (labels, venues; default: built-in)."
    )
    var scenarioPath: String?

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Option(help: "Write the per-path CSV to FILE.")
    var csv: String?

    public init() {}

    public func validate() throws {
        guard !shards.isEmpty else { throw ValidationError("merge needs at least one shard file") }
    }

    public func run() throws {
        var decoded: [(header: ShardFile.Header, metrics: [PathMetrics])] = []
        for path in shards {
            do {
                decoded.append(try ShardFile.decode(try LabFiles.read(path)))
            } catch let error as LabError {
                throw ValidationError("\(path): \(error.message)")
            }
        }
        let scenario = try scenarioPath.map { try LabScenarioFile.load(path: $0) } ?? Scenario.builtIn()
        let (header, metrics): (ShardFile.Header, [PathMetrics])
        do {
            (header, metrics) = try ShardFile.merge(decoded)
        } catch {
            throw ValidationError(error.message)
        }
        let linked = metrics.map(\.linkedVenues.count).max() ?? 0
        guard linked == scenario.linkedVenues.count else {
            throw ValidationError(
                "the shards ran \(linked + 1) venue(s) and the scenario has \(scenario.linkedVenues.count + 1): pass "
                    + "the scenario file the shards ran with --scenario FILE"
            )
        }
        let summary = MonteCarloSummary(paths: metrics, accounts: header.accounts, seconds: 0)
        let report = LabReport(scenario: scenario, summary: summary)
        if let csv { try LabFiles.write(report.pathsCSV(), to: csv) }
        if json { print(report.json()) } else { print(report.terminalTable(), terminator: "") }
    }
}
