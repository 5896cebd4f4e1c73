public import ArgumentParser

/// `fulcrum margin-model`: Volatility-sensitive margin (static, EWMA, GARCH) backtested on real data.
public struct MarginModelCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "margin-model",
        abstract: "Volatility-sensitive margin (static, EWMA, GARCH) backtested on real data."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum margin-model is not built yet")
    }
}
