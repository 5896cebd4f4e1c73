public import ArgumentParser

/// `fulcrum liq-prob`: Probability that a position is liquidated within a horizon (GBM closed form; jump and GARCH Monte Carlo).
public struct LiqProbCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "liq-prob",
        abstract: "Probability that a position is liquidated within a horizon (GBM closed form; jump and GARCH Monte Carlo)."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum liq-prob is not built yet")
    }
}
