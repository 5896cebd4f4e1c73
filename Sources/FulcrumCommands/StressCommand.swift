public import ArgumentParser

/// `fulcrum stress`: Run the cascade lab: the liquidation feedback loop under Monte Carlo (built-in default scenario).
public struct StressCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Run the cascade lab: the liquidation feedback loop under Monte Carlo (built-in default scenario)."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum stress is not built yet")
    }
}
