public import ArgumentParser

/// `fulcrum generate-events`: write a seeded random event stream (JSON lines) for replay and invariant checks.
public struct GenerateEventsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "generate-events",
        abstract: "Write a seeded random event stream (JSON lines) for replay and invariant checks."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum generate-events is not built yet")
    }
}
