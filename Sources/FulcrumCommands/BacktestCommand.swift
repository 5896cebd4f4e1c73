public import ArgumentParser

/// `fulcrum backtest`: Backtest leveraged perpetual strategies with exact margin, funding, fees and liquidation.
public struct BacktestCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest leveraged perpetual strategies with exact margin, funding, fees and liquidation."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum backtest is not built yet")
    }
}
