public import ArgumentParser

/// `fulcrum replay`: Replay a JSON-lines event log through the clearing engine and report the final state.
public struct ReplayCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a JSON-lines event log through the clearing engine and report the final state."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum replay is not built yet")
    }
}
