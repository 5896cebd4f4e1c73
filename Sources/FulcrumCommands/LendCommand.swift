public import ArgumentParser
import Foundation
import FulcrumIO
import FulcrumLending

/// `fulcrum lend`: Lending protocols: replay events and compute health (Aave v3, Compound III, Maker, Morpho).
public struct LendCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lend",
        abstract: "Lending protocols: replay events and compute health (Aave v3, Compound III, Maker, Morpho).",
        subcommands: [LendReplayCommand.self, LendHealthCommand.self]
    )

    public init() {}
}

/// Parses `--protocol`, naming the accepted values on error.
func parseLendingProtocol(_ name: String) throws -> LendingProtocolKind {
    guard let kind = LendingProtocolKind(name: name) else {
        throw ValidationError(
            "--protocol \"\(name)\" is not one of \(LendingProtocolKind.names.joined(separator: ", "))"
        )
    }
    return kind
}

/// Reads a file or throws a validation error naming it.
func readLendFile(_ path: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read file \(path)")
    }
    return data
}
