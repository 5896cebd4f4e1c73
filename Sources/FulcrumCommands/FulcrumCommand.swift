public import ArgumentParser
import FulcrumProofsCLI

/// The `fulcrum` command-line tool.
public struct FulcrumCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fulcrum",
        abstract: "Exact, fast leveraged-trading risk: margin, liquidation, insurance fund, ADL and cascades.",
        subcommands: [
            LiqPriceCommand.self,
            ReplayCommand.self,
            StressCommand.self,
            MergeCommand.self,
            LendCommand.self,
            GenerateEventsCommand.self,
            HeatmapCommand.self,
            LiqProbCommand.self,
            MarginModelCommand.self,
            AdlCommand.self,
            BacktestCommand.self,
            ScanCommand.self,
            BenchCommand.self,
            ProveCommand.self,
            VerifyCommand.self,
            ProofsBenchCommand.self,
            ServeCommand.self,
            KeysCommand.self,
            LogCommand.self,
        ]
    )

    public init() {}
}
