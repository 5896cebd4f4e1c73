public import ArgumentParser

/// `fulcrum heatmap`: Liquidation heatmap: notional liquidated at each price level, cumulative curves and exhaustion clusters.
public struct HeatmapCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "heatmap",
        abstract: "Liquidation heatmap: notional liquidated at each price level, cumulative curves and exhaustion clusters."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum heatmap is not built yet")
    }
}
