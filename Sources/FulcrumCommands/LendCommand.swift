public import ArgumentParser

/// `fulcrum lend`: Lending protocols: replay events and compute health (Aave v3, Compound III, Maker, Morpho).
public struct LendCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lend",
        abstract: "Lending protocols: replay events and compute health (Aave v3, Compound III, Maker, Morpho)."
    )

    public init() {}

    public func run() throws {
        throw ValidationError("fulcrum lend is not built yet")
    }
}
