import ArgumentParser
import Foundation
import FulcrumCommands
import Testing

@Suite("fulcrum liq-price")
struct LiqPriceCommandTests {
    static func run(_ arguments: [String]) throws -> String {
        let parsed = try LiqPriceCommand.parseAsRoot(arguments)
        let command = try #require(parsed as? LiqPriceCommand)
        return try command.report()
    }

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let text = try run(arguments + ["--json"])
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    /// The error message and exit code for arguments that must be rejected.
    static func failure(_ arguments: [String]) -> (message: String, exitCode: Int32)? {
        do {
            let parsed = try LiqPriceCommand.parseAsRoot(arguments)
            guard let command = parsed as? LiqPriceCommand else { return nil }
            _ = try command.report()
            return nil
        } catch {
            return (LiqPriceCommand.message(for: error), LiqPriceCommand.exitCode(for: error).rawValue)
        }
    }

    static func temporaryFile(_ contents: String) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fulcrum-account-\(UUID().uuidString).json")
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// freqtrade tests/exchange/test_hyperliquid.py test_hyperliquid_dry_run_liquidation_price row
    /// (BTC long 0.00077 @ 62739, collateral 24.137992, fixture max leverage 50): exchange-reported 31708.03843631;
    /// Hyperliquid BTC tick 1, long rounded up.
    @Test func hyperliquidJSON() throws {
        let object = try Self.json([
            "--venue", "hyperliquid", "--side", "long", "--entry", "62739", "--size", "0.00077",
            "--wallet", "24.137992", "--max-leverage", "50",
        ])
        #expect(
            Set(object.keys) == [
                "liquidationPrice", "bankruptcyPrice", "maintenanceMargin", "initialMargin", "venue", "market", "side",
                "mode", "tier",
            ]
        )
        let text = try #require(object["liquidationPrice"] as? String)
        let price = try #require(Double(text))
        #expect(price >= 31708.03843631 && price - 31708.03843631 <= 1)
        #expect(object["venue"] as? String == "hyperliquid")
        #expect(object["market"] as? String == "BTC")
        #expect(object["side"] as? String == "long")
        #expect(object["mode"] as? String == "isolated")
        #expect(object["tier"] as? Int == 1)
    }

    /// Binance's official cross example (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93;
    /// freqtrade tests/exchange/test_binance.py test_liquidation_price_binance, ETH cross row → 1153.26).
    @Test func binanceCrossWithAccountFile() throws {
        let path = try Self.temporaryFile(
            """
            {"wallet": "1535443.01", "positions": [{"market": "BTCUSDT", "side": "long", "entry": "32481.98",
             "size": "109.488", "mark": "31967.27", "mmr": "0.025", "mmDeduction": "16300"}]}
            """
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let object = try Self.json([
            "--venue", "binance", "--market", "ETHUSDT", "--side", "long", "--entry", "1456.84", "--size", "3683.979",
            "--account", path, "--mmr", "0.10", "--mm-deduction", "135365",
        ])
        let text = try #require(object["liquidationPrice"] as? String)
        let price = try #require(Double(text))
        #expect(abs(price - 1153.26) <= 0.015)
        #expect(object["mode"] as? String == "cross")
    }

    @Test func plainTableAndNone() throws {
        // 1x inverse short: never liquidated; the table says "none", JSON says null.
        let arguments = [
            "--venue", "bitmex", "--market", "XBTUSD", "--side", "short", "--entry", "40000", "--size", "1000",
            "--leverage", "1",
        ]
        let table = try Self.run(arguments)
        #expect(table.contains("liquidation price   none"))
        #expect(table.contains("XBTUSD (inverse)"))
        let object = try Self.json(arguments)
        #expect(object["liquidationPrice"] is NSNull)
        #expect(object["bankruptcyPrice"] is NSNull)
    }

    @Test(
        arguments: [
            (
                ["--venue", "kraken", "--side", "long", "--entry", "100", "--size", "1", "--leverage", "5"],
                "--venue \"kraken\""
            ),
            (
                ["--venue", "binance", "--side", "up", "--entry", "100", "--size", "1", "--leverage", "5"],
                "--side \"up\""
            ),
            (
                ["--venue", "binance", "--side", "long", "--entry=-100", "--size", "1", "--leverage", "5"],
                "--entry \"-100\""
            ),
            (
                ["--venue", "binance", "--side", "long", "--entry", "100", "--size", "0", "--leverage", "5"],
                "--size \"0\""
            ),
            (["--venue", "binance", "--side", "long", "--entry", "100", "--size", "1"], "--wallet"),
            (
                [
                    "--venue", "binance", "--side", "long", "--entry", "100", "--size", "1", "--wallet", "10",
                    "--leverage", "5",
                ],
                "not both"
            ),
            (
                ["--venue", "binance", "--side", "long", "--entry", "100.000000001", "--size", "1", "--leverage", "5"],
                "--entry"
            ),
            (
                ["--venue", "binance", "--side", "long", "--entry", "abc", "--size", "1", "--leverage", "5"],
                "--entry \"abc\""
            ),
            (
                ["--venue", "binance", "--side", "long", "--entry", "100", "--size", "1", "--leverage", "500"],
                "--leverage 500"
            ),
            (
                [
                    "--venue", "binance", "--market", "DOGE", "--side", "long", "--entry", "1", "--size", "1",
                    "--leverage", "5",
                ], "--market \"DOGE\""
            ),
            (
                ["--venue", "okx", "--side", "long", "--entry", "100", "--size", "1", "--wallet", "5", "--mmr", "1.5"],
                "--mmr 1.5"
            ),
            (
                [
                    "--venue", "okx", "--side", "long", "--entry", "100", "--size", "1", "--wallet", "5", "--mode",
                    "hedge",
                ], "--mode \"hedge\""
            ),
        ]
    )
    func badInputExitsNonZeroNamingTheOption(arguments: [String], expected: String) throws {
        let failure = try #require(Self.failure(arguments))
        #expect(failure.message.contains(expected), "\(failure.message)")
        #expect(failure.exitCode != 0)
    }

    @Test(
        arguments: [
            ("{\"wallet\": 10000}", "wallet 10000 must be a decimal string"),
            ("not json", "not valid JSON"),
            (
                "{\"wallet\": \"1\", \"positions\": [{\"market\": \"ETHUSDT\", \"side\": \"sideways\"}]}",
                "positions[0].side"
            ),
            (
                "{\"wallet\": \"1\", \"positions\": [{\"market\": \"ETHUSDT\", \"side\": \"long\", \"entry\": \"x\", \"size\": \"1\", \"mark\": \"1\"}]}",
                "positions[0].entry \"x\""
            ),
            (
                "{\"wallet\": \"1\", \"positions\": [{\"market\": \"NOPE\", \"side\": \"long\", \"entry\": \"1\", \"size\": \"1\", \"mark\": \"1\"}]}",
                "positions[0].market \"NOPE\""
            ),
            ("{\"wallet\": \"-5\"}", "wallet \"-5\""),
        ]
    )
    func malformedAccountFileNamesTheField(contents: String, expected: String) throws {
        let path = try Self.temporaryFile(contents)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let failure = try #require(
            Self.failure(["--venue", "binance", "--side", "long", "--entry", "100", "--size", "1", "--account", path])
        )
        #expect(failure.message.contains(expected), "\(failure.message)")
        #expect(failure.exitCode != 0)
    }

    @Test func missingAccountFileIsAnError() throws {
        let failure = try #require(
            Self.failure([
                "--venue", "binance", "--side", "long", "--entry", "100", "--size", "1", "--account",
                "/nonexistent/a.json",
            ])
        )
        #expect(failure.message.contains("/nonexistent/a.json"))
    }

    @Test func helpExplainsUnits() {
        let help = LiqPriceCommand.helpMessage()
        for needle in [
            "--wallet", "--leverage", "--mmr", "--mm-deduction", "--max-leverage", "--taker-fee", "--account",
            "settlement currency", "contracts", "\"positions\"",
        ] {
            #expect(help.contains(needle), "help lacks \(needle)")
        }
    }
}
