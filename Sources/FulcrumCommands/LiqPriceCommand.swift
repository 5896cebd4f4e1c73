public import ArgumentParser

/// `fulcrum liq-price`: Compute a position's liquidation and bankruptcy price under a venue's published rules.
public struct LiqPriceCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "liq-price",
        abstract: "Compute a position's liquidation and bankruptcy price under a venue's published rules."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum liq-price is not built yet")
    }
}
