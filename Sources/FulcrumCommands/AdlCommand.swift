public import ArgumentParser

/// `fulcrum adl`: Allocate a shortfall across winning positions under ADL policies and compare them.
public struct AdlCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "adl",
        abstract: "Allocate a shortfall across winning positions under ADL policies and compare them."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum adl is not built yet")
    }
}
