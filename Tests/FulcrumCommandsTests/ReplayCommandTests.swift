import ArgumentParser
import Foundation
import FulcrumCommands
import FulcrumCore
import FulcrumEngine
import FulcrumIO
import Testing

/// `fulcrum replay` end to end on small hand-written logs (generic venue, catalog BTCUSDT: tick 0.1, step 0.001,
/// bracket 1 mmr 0.4 %, default leverage 20×, no liquidation fee).
@Suite("Replay command")
struct ReplayCommandTests {
    static let header = #"{"type":"header","format":"fulcrum-events","v":1,"venue":"generic"}"#
    static let body = [
        #"{"type":"market","symbol":"BTCUSDT"}"#,
        #"{"type":"deposit","account":0,"amount":"100000"}"#,
        #"{"type":"deposit","account":1,"amount":"1000"}"#,
        #"{"type":"deposit","account":2,"amount":5000}"#,
        #"{"type":"index","market":"BTCUSDT","price":"100"}"#,
        #"{"type":"mark","market":"BTCUSDT","price":"100"}"#,
        #"{"type":"trade","market":"BTCUSDT","buyer":1,"seller":2,"size":"100","price":"100"}"#,
        #"{"type":"mark","market":"BTCUSDT","price":"90.5"}"#,
        #"{"type":"sweep"}"#,
        #"{"type":"mark","market":"BTCUSDT","price":"90.3"}"#,
        #"{"type":"sweep"}"#,
    ]

    static func write(_ lines: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("fulcrum-replay-\(UUID().uuidString).jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func replay(_ lines: [String], _ extra: [String] = []) throws -> String {
        let path = try write(lines)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ReplayCommand.parse([path] + extra).render()
    }

    static func expectFailure(
        _ lines: [String],
        line: Int,
        field: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            _ = try replay(lines, ["--hash-every", "1"])
            Issue.record("expected a failure at line \(line)", sourceLocation: sourceLocation)
        } catch let error as EventDecodeError {
            #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
            #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Mark 90.5: equity 1,000 − 950 = 50 ≥ MM 9,050 × 0.4 % = 36.2 (no liquidation). Mark 90.3: equity 30 <
    /// 36.12 ⇒ the backstop takes 100 over at 90.3; the wallet keeps 1,000 − 970 = 30 (generic fee is zero).
    @Test func replaysAndReportsJSON() throws {
        let output = try Self.replay([Self.header] + Self.body, ["--json", "--check-invariants"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(object["events"] as? Int == 11)
        #expect(object["invariantChecks"] as? Int == 11)
        let accounts = try #require(object["accounts"] as? [[String: Any]])
        #expect(accounts[1]["wallet"] as? String == "30")
        #expect((accounts[1]["positions"] as? [Any])?.isEmpty == true)
        let backstop = try #require((accounts[0]["positions"] as? [[String: Any]])?.first)
        #expect(backstop["size"] as? String == "100")
        #expect(backstop["entryPrice"] as? String == "90.3")
        let effects = try #require(object["effects"] as? [[String: Any]])
        let fills = effects.first { $0["kind"] as? String == "liquidationFill" }
        #expect(fills?["count"] as? Int == 1)
        #expect((object["stateHash"] as? String)?.count == 16)
    }

    @Test func textReportAndHashes() throws {
        let output = try Self.replay([Self.header] + Self.body, ["--hash-every", "5"])
        #expect(output.contains("events 11"))
        #expect(output.contains("liquidationFill: 1"))
        #expect(output.contains("  hash 10@line11:"))
        // Same log, same hash.
        let again = try Self.replay([Self.header] + Self.body, ["--hash-every", "5"])
        #expect(again == output)
    }

    @Test func malformedLinesNameLineAndField() {
        var lines = [Self.header] + Self.body
        lines[7] = #"{"type":"trade","market":"BTCUSDT","buyer":1,"seller":2,"size":"100","price":"abc"}"#
        Self.expectFailure(lines, line: 8, field: "price")
        lines[7] = #"{"type":"trade","market":"BTCUSDT","buyer":1,"seller":2,"size":"100","price":"100.05"}"#
        Self.expectFailure(lines, line: 8, field: "price")  // rejected by the engine: off the 0.1 tick
        lines[7] = #"{"type":"trade","market":"ETHUSDT","buyer":1,"seller":2,"size":"1","price":"100"}"#
        Self.expectFailure(lines, line: 8, field: "market")
        lines[7] = #"{"type":"trade","market":"BTCUSDT","buyer":1,"seller":2,"size":"1","price":"100","fee":"0"}"#
        Self.expectFailure(lines, line: 8, field: "fee")
        lines[7] = #"{"type":"trade","market":"BTCUSDT","buyer":-1,"seller":2,"size":"1","price":"100"}"#
        Self.expectFailure(lines, line: 8, field: "buyer")
        lines[7] = #"{"type":"trade","market":"BTCUSDT""#
        Self.expectFailure(lines, line: 8, field: "json")
        lines[7] = #"{"type":"teleport"}"#
        Self.expectFailure(lines, line: 8, field: "type")
        Self.expectFailure(Self.body, line: 1, field: "type")  // no header
        Self.expectFailure([#"{"type":"header","format":"fulcrum-events","v":2}"#] + Self.body, line: 1, field: "v")
    }

    /// Nothing after a bad line is applied: with a hash after every event, the last hash is the line before.
    @Test func stopsAtTheBadLine() throws {
        var lines = [Self.header] + Self.body
        lines[5] = #"{"type":"index","market":"BTCUSDT","price":"-1"}"#
        let path = try Self.write(lines)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var marks: [ReplayHashMark] = []
        #expect(throws: EventDecodeError.self) {
            _ = try ReplayRunner.run(url: URL(fileURLWithPath: path), options: ReplayOptions(hashEvery: 1)) {
                marks.append($0)
            }
        }
        #expect(marks.map(\.line) == [2, 3, 4, 5])  // line 6 is the bad one
    }

    /// Inverse markets replay: the catalog's BitMEX XBTUSD and a custom-tier `"kind":"inverse"` market with a
    /// `contractValue`. The XBTUSD log is the hand-computed liquidation of `InverseMarketTests.xbtusdLiquidationByHand`
    /// (10,000 contracts bought at 50,000 with 0.011 XBT; at 47,600 the backstop takes them over; the margin left,
    /// 0.011 − 10,000 · (1/50,000 − 1/47,600) = 0.00091597 XBT, goes with the position to BitMEX's insurance fund:
    /// https://testnet.bitmex.com/app/liquidationExamples). The custom market (contract value 100 USD) books
    /// 10 contracts at 40,000 as 10 · 100 / 40,000 = 0.025 XBT: entry price 40,000.
    @Test func replaysInverseMarkets() throws {
        let lines = [
            #"{"type":"header","format":"fulcrum-events","v":1,"venue":"bitmex"}"#,
            #"{"type":"market","symbol":"XBTUSD"}"#,
            #"{"type":"market","symbol":"XBTUSD100","kind":"inverse","contractValue":"100","tick":"0.5","step":"1","#
                + #""tiers":[{"floor":"0","maxLeverage":"100","mmr":"0.005"}]}"#,
            #"{"type":"deposit","account":0,"amount":"100"}"#,
            #"{"type":"deposit","account":1,"amount":"0.011"}"#,
            #"{"type":"deposit","account":2,"amount":"10"}"#,
            #"{"type":"index","market":"XBTUSD","price":"50000"}"#,
            #"{"type":"mark","market":"XBTUSD","price":"50000"}"#,
            #"{"type":"index","market":"XBTUSD100","price":"40000"}"#,
            #"{"type":"mark","market":"XBTUSD100","price":"40000"}"#,
            #"{"type":"trade","market":"XBTUSD","buyer":1,"seller":2,"size":"10000","price":"50000"}"#,
            #"{"type":"trade","market":"XBTUSD100","buyer":0,"seller":2,"size":"10","price":"40000"}"#,
            #"{"type":"mark","market":"XBTUSD","price":"47600"}"#,
            #"{"type":"sweep"}"#,
        ]
        let output = try Self.replay(lines, ["--json", "--check-invariants"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let accounts = try #require(object["accounts"] as? [[String: Any]])
        #expect(accounts[1]["wallet"] as? String == "0")
        #expect(object["sharedInsuranceFund"] as? String == "0.00091597")
        let positions = try #require(accounts[0]["positions"] as? [[String: Any]])
        // The backstop's entry is 10,000 / 0.21008403 (the fill's coin amount, rounded to 10⁻⁸ XBT) = 47,600.00081872.
        #expect(positions.map { $0["entryPrice"] as? String } == ["47600.00081872", "40000"])
        Self.expectFailure(
            [
                Self.header,
                #"{"type":"market","symbol":"X","kind":"inverse","contractValue":"0","tick":"1","step":"1","#
                    + #""tiers":[{"floor":"0","maxLeverage":"10","mmr":"0.01"}]}"#,
            ],
            line: 2,
            field: "contractValue"
        )
    }
}
