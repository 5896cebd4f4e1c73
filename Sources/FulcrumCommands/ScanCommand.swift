public import ArgumentParser

/// `fulcrum scan`: After each oracle update, the accounts within a distance of liquidation and their trigger prices.
public struct ScanCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "After each oracle update, the accounts within a distance of liquidation and their trigger prices."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum scan is not built yet")
    }
}
