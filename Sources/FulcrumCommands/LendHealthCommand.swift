public import ArgumentParser
public import Foundation
import FulcrumIO
import FulcrumLending

/// `fulcrum lend health --protocol P --position FILE.json [--json]`: health factor, max borrow, liquidation prices
/// and the largest liquidation allowed now with the liquidator's profit.
public struct LendHealthCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Health factor, max borrow, liquidation prices and the largest liquidation allowed now."
    )

    /// The protocol.
    @Option(
        name: .customLong("protocol"),
        help: "aave-v3 | aave-v3.0 | aave-v3.3 | aave-v3.5 | compound-v3 | maker | morpho"
    )
    public var protocolName: String

    /// The position file.
    @Option(help: "Position JSON file (format: docs/LENDING.md).")
    public var position: String

    /// JSON output.
    @Flag(help: "Print JSON.")
    public var json = false

    public init() {}

    public func run() throws {
        print(try Self.evaluate(protocolName: protocolName, data: try readLendFile(position), json: json))
    }

    /// The command's output for a position file's bytes.
    public static func evaluate(protocolName: String, data: Data, json: Bool) throws -> String {
        let kind = try parseLendingProtocol(protocolName)
        let report: LendingHealthReport
        do {
            report = try LendingHealth.evaluate(try LendPositionFile.parse(data), protocol: kind)
        } catch {
            throw ValidationError("position: \(error)")
        }
        return json ? LendPositionFile.json(report, protocol: kind) : LendPositionFile.text(report, protocol: kind)
    }
}
