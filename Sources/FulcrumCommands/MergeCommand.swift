public import ArgumentParser

/// `fulcrum merge`: combine the outputs of `fulcrum stress --shard I/N` runs into the unsharded result.
public struct MergeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine `fulcrum stress --shard I/N` outputs into exactly the unsharded result."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum merge is not built yet")
    }
}
