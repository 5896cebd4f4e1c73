public import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumEngine
import FulcrumIO

/// `fulcrum replay`: Replay a JSON-lines event log through the clearing engine and report the final state.
public struct ReplayCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a JSON-lines event log through the clearing engine and report the final state.",
        discussion: """
            The log format is documented in docs/EVENTS.md (v1). A malformed line or an event the engine rejects \
            stops the replay with the line number and the field; nothing after it is applied (exit code 2).
            """
    )

    /// The event log (JSON lines, v1).
    @Argument(help: "The event log (JSON lines, format v1).")
    public var events: String

    /// Default venue for market listings that name none.
    @Option(help: "Venue for listings that name none (binance, bybit, okx, hyperliquid, dydx, drift, bitmex, generic).")
    public var venue: String?

    /// Print one JSON object.
    @Flag(help: "Print the report as one JSON object.")
    public var json = false

    /// Check every invariant after every event.
    @Flag(
        name: .customLong("check-invariants"),
        help: "Check conservation, open interest and equity after every event."
    )
    public var checkInvariants = false

    /// Record the state hash every N events.
    @Option(name: .customLong("hash-every"), help: "Print the state hash after every N events.")
    public var hashEvery: Int?

    /// Accounts listed in the text report.
    @Option(name: .customLong("show-accounts"), help: "Accounts listed in the text report (default 50).")
    public var showAccounts = 50

    public init() {}

    public func validate() throws {
        if let venue {
            do { _ = try VenueProfile.named(venue) } catch { throw ValidationError(error.description) }
        }
        if let hashEvery, hashEvery <= 0 { throw ValidationError("--hash-every \(hashEvery) must be positive") }
    }

    /// Replays and renders the report (the text `run()` prints).
    ///
    /// - Throws: ``EventDecodeError`` naming the line and field of the first bad line.
    public func render(streamHash: (String) -> Void = { _ in }) throws -> String {
        let options = ReplayOptions(venue: venue, checkInvariants: checkInvariants, hashEvery: hashEvery)
        let outcome = try ReplayRunner.run(url: URL(fileURLWithPath: events), options: options) { mark in
            if !json {
                streamHash("hash after \(mark.events) events (line \(mark.line)): \(String(mark.hash, radix: 16))")
            }
        }
        let report = ReplayReport(outcome)
        return json ? try report.json() : report.text(accountLimit: showAccounts)
    }

    public func run() throws {
        do {
            print(try render(streamHash: { print($0) }))
        } catch let error as EventDecodeError {
            FileHandle.standardError.write(Data("fulcrum replay: \(events): \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
