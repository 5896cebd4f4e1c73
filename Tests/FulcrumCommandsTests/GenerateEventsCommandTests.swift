import ArgumentParser
import Foundation
import FulcrumCommands
import FulcrumCore
import FulcrumEngine
import FulcrumIO
import Testing

@Suite("Generate events command")
struct GenerateEventsCommandTests {
    static func path(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-gen-\(name)-\(UUID().uuidString).jsonl")
            .path
    }

    /// A generated stream replays with every invariant checked after every event, and the same seed gives the
    /// same bytes and the same final hash.
    @Test(arguments: ["generic", "binance", "hyperliquid", "dydx", "drift", "okx"])
    func generatedStreamReplaysWithInvariants(venue: String) throws {
        let first = Self.path("a")
        let second = Self.path("b")
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        let arguments = ["--count", "5000", "--seed", "7", "--accounts", "120", "--venue", venue]
        let written = try GenerateEventsCommand.parse(arguments + ["--out", first]).generate().written
        #expect(written == 5000)
        _ = try GenerateEventsCommand.parse(arguments + ["--out", second]).generate()
        #expect(FileManager.default.contentsEqual(atPath: first, andPath: second))
        let outcome = try ReplayRunner.run(
            url: URL(fileURLWithPath: first),
            options: ReplayOptions(checkInvariants: true)
        )
        #expect(outcome.events == 5000)
        #expect(outcome.invariantChecks == 5000)
        #expect(outcome.summary.row(.trade).count > 1000)
    }

    @Test func rejectsBadArguments() {
        #expect(throws: (any Error).self) { try GenerateEventsCommand.parse(["--count", "0", "--out", "x"]) }
        #expect(throws: (any Error).self) {
            try GenerateEventsCommand.parse(["--count", "5", "--venue", "nowhere", "--out", "x"])
        }
    }
}
