public import ArgumentParser
import Foundation
public import FulcrumIO
import FulcrumLending

/// `fulcrum lend replay EVENTS.jsonl --protocol P [--json] [--strict]`: replays a lending event stream.
public struct LendReplayCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract:
            "Replay a lending JSON-lines event stream (setup lines, then actions) and print effects and final state."
    )

    /// The events file.
    @Argument(help: "JSON-lines events file (format: docs/LENDING.md).")
    public var events: String

    /// The protocol.
    @Option(
        name: .customLong("protocol"),
        help: "aave-v3 | aave-v3.0 | aave-v3.3 | aave-v3.5 | compound-v3 | maker | morpho"
    )
    public var protocolName: String

    /// JSON lines output.
    @Flag(help: "Print JSON lines instead of text.")
    public var json = false

    /// Treat rejected actions as failure.
    @Flag(help: "Exit non-zero when any action is rejected by the protocol.")
    public var strict = false

    public init() {}

    public func run() throws {
        let kind = try parseLendingProtocol(protocolName)
        guard let text = String(data: try readLendFile(events), encoding: .utf8) else {
            throw ValidationError("\(events) is not UTF-8 text")
        }
        let result: LendEventFile.Result
        do { result = try LendEventFile.replay(text, protocol: kind) } catch {
            throw ValidationError("\(events): \(error)")
        }
        print(try Self.render(result, json: json), terminator: "")
        if strict, result.rejected > 0 { throw ExitCode(2) }
    }

    /// Renders a replay result as text or JSON lines (one per action, then a `final` line).
    public static func render(_ result: LendEventFile.Result, json: Bool) throws -> String {
        var out = ""
        for o in result.outcomes {
            if json {
                var pairs: [(String, String)] = [("line", String(o.line))]
                if let e = o.effect {
                    pairs.append(("effect", LendJSON.quote(e.kind)))
                    pairs += e.fields.map { ($0.key, LendJSON.quote($0.value)) }
                } else {
                    pairs.append(("effect", LendJSON.quote("rejected")))
                    pairs.append(("reason", LendJSON.quote(o.rejection ?? "")))
                }
                out += LendJSON.object(pairs) + "\n"
            } else if let e = o.effect {
                out +=
                    "line \(o.line): \(e.kind) " + e.fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                    + "\n"
            } else {
                out += "line \(o.line): rejected \(o.rejection ?? "")\n"
            }
        }
        let summary = try result.market.map { try LendSummary.fields($0) } ?? []
        if json {
            let pairs =
                [("effect", LendJSON.quote("final")), ("rejected", String(result.rejected))]
                + summary.map { ($0.key, LendJSON.quote($0.value)) }
            out += LendJSON.object(pairs) + "\n"
        } else {
            out += "final: rejected=\(result.rejected)\n"
            for f in summary { out += "  \(f.key) \(f.value)\n" }
        }
        return out
    }
}
