import ArgumentParser
import Foundation
import FulcrumCommands
import FulcrumCore
import FulcrumIO
import FulcrumLab
import Testing

/// The analytics commands run in-process: options in, text out.
struct AnalyticsCommandsTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func temporaryFile(_ name: String, _ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-analytics-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func object(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [String: Any])
    }

    /// The exact text of a JSON number (JSONSerialization would round it through Double).
    static func rawNumbers(_ text: String, key: String) -> [String] {
        var result: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: "\"\(key)\":") {
            rest = rest[range.upperBound...]
            result.append(String(rest.prefix { $0 != "," && $0 != "}" }))
        }
        return result
    }

    static func shared(_ path: String) -> String? {
        if let url = DataDirectory.file(path, packageRoot: packageRoot) { return url.path }
        if DataDirectory.isCI {
            Issue.record("shared data file \(path) is missing (CI=true)")
        } else {
            print("NOTICE: skipping, shared data file \(path) not found")
        }
        return nil
    }

    @Test func backtestJSONHasTheIssueKeysAndExactFunding() throws {
        let prices = try Self.temporaryFile(
            "prices.csv",
            "timestamp_ms,perp_mark\n0,100000\n60000,101000\n120000,99000\n"
        )
        let funding = try Self.temporaryFile("funding.csv", "funding_time_ms,funding_rate\n1,0.0001\n60002,-5e-05\n")
        let command = try BacktestCommand.parse([
            "--prices", prices, "--funding", funding, "--side", "long", "--size", "1", "--leverage", "10", "--fee", "0",
            "--json",
        ])
        let text = try command.output()
        let json = try Self.object(text)
        for key in ["funding", "fees", "finalEquity", "liquidations", "maxDrawdown", "seconds"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        // −(0.0001 × 100000) + 0.00005 × 101000 = −10 + 5.05
        #expect(Self.rawNumbers(text, key: "funding") == ["-4.95"])
        #expect((json["liquidations"] as? Int) == 0)
    }

    @Test func backtestRejectsBadOptionsNamingThem() throws {
        let prices = try Self.temporaryFile("prices.csv", "timestamp_ms,perp_mark\n0,100000\n60000,101000\n")
        let funding = try Self.temporaryFile("funding.csv", "funding_time_ms,funding_rate\n1,0.0001\n")
        let cases: [([String], String)] = [
            (["--leverage", "abc"], "--leverage \"abc\""),
            (["--strategy", "moon"], "--strategy \"moon\""),
            (["--venue", "nowhere"], "--venue \"nowhere\""),
            (["--price-column", "close"], "close"),
            (["--size=-1"], "--size \"-1\""),
        ]
        for (extra, expected) in cases {
            let command = try BacktestCommand.parse(["--prices", prices, "--funding", funding] + extra)
            #expect {
                _ = try command.output()
            } throws: { error in
                "\(error)".contains(expected)
            }
        }
    }

    /// Issue 5 check through the CLI: `fulcrum backtest --strategy hold --side long --size 1 --leverage 1 --fee 0`
    /// over the shared year pays −4,029.23224666 USDT of funding (see docs/VALIDATION.md (Risk analytics)).
    @Test func backtestSharedYearFunding() throws {
        guard
            let prices = Self.shared(
                "binance-btcusdt-perp-1m-klp61/btcusdt_1m_mark_index_mid_spot_2025-05-09_2026-05-09.csv.gz"
            ),
            let funding = Self.shared("binance-btcusdt-perp-1m-klp61/btcusdt_funding_8h_2025-05-10_2026-05-09.csv")
        else { return }
        let command = try BacktestCommand.parse([
            "--strategy", "hold", "--prices", prices, "--funding", funding, "--side", "long", "--size", "1",
            "--leverage", "1", "--fee", "0", "--json",
        ])
        let text = try command.output()
        let json = try Self.object(text)
        #expect(Self.rawNumbers(text, key: "funding") == ["-4029.23224666"])
        #expect((json["samples"] as? Int) == 525_605)
        let events = try #require(json["fundingEvents"] as? [String: Any])
        #expect((events["settled"] as? Int) == 1_095)
    }

    @Test func liqProbGBMClosedFormIsInsideTheMonteCarloInterval() throws {
        let command = try LiqProbCommand.parse([
            "--side", "long", "--entry", "100000", "--leverage", "10", "--horizon", "7d", "--vol", "0.6", "--paths",
            "20000", "--seed", "42", "--json",
        ])
        let json = try Self.object(try command.output())
        let closed = try #require(json["closedFormGBM"] as? Double)
        let mc = try #require(json["monteCarlo"] as? [String: Any])
        let lower = try #require(mc["lower99"] as? Double)
        let upper = try #require(mc["upper99"] as? Double)
        #expect(lower <= closed && closed <= upper)
        #expect(closed > 0.05 && closed < 0.95)
    }

    @Test func liqProbRejectsBadHorizonAndModel() throws {
        for (extra, expected) in [
            (["--horizon", "24q", "--vol", "1"], "--horizon \"24q\""),
            (["--horizon", "24h", "--vol", "1", "--model", "heston"], "--model \"heston\""),
            (["--horizon", "24h"], "--vol or --calibrate"),
        ] {
            let command = try LiqProbCommand.parse(["--side", "long", "--entry", "100000", "--leverage", "10"] + extra)
            #expect {
                _ = try command.output()
            } throws: { error in
                "\(error)".contains(expected)
            }
        }
    }

    @Test func adlConservesTheShortfallForEveryPolicy() throws {
        let positions = try Self.temporaryFile(
            "positions.csv",
            "id,pnl,notional,margin\na,100,10000,100\nb,300,3000,1000\nc,600.00000001,60000,6000\n"
        )
        let command = try AdlCommand.parse(["--positions", positions, "--shortfall", "333.33333333", "--json"])
        let text = try command.output()
        let covered = Self.rawNumbers(text, key: "covered")
        let uncovered = Self.rawNumbers(text, key: "uncovered")
        #expect(covered.count == 4)
        for (c, u) in zip(covered, uncovered) {
            // Exact decimal text: Σ haircuts + uncovered = shortfall to the last of 8 decimals.
            #expect(Decimal(string: c)! + Decimal(string: u)! == Decimal(string: "333.33333333")!)
            #expect(c == "333.33333333" && u == "0")
        }
    }

    @Test func adlOnTheHyperliquidCrashFile() throws {
        guard
            let file = Self.shared(
                "hyperliquid-2025-10-10-positions-conejo/positions_FINAL_btc_sol_2025-10-10T2115_2127.csv"
            )
        else { return }
        let command = try AdlCommand.parse(["--positions", file, "--shortfall", "5000000", "--json"])
        let json = try Self.object(try command.output())
        #expect((json["winningSide"] as? String) == "short")  // BTC longs were liquidated on 2025-10-10
        #expect((json["candidates"] as? Int) == 2_127)
        let policies = try #require(json["policies"] as? [[String: Any]])
        let hits = policies.compactMap { $0["accountsHit"] as? Int }
        #expect(hits.count == 4)
        // Pro-rata touches every winner; a queue touches far fewer.
        #expect(hits[2] == 2_127)
        #expect(hits[0] < hits[2])
    }

    static let scanEvents = """
        {"type":"header","format":"fulcrum-events","v":1,"venue":"generic","seed":1}
        {"type":"market","symbol":"BTCUSDT","venue":"generic","kind":"linear","tick":"0.1","step":"0.001",\
        "tiers":[{"floor":"0","maxLeverage":"125","mmr":"0.004"}]}
        {"type":"deposit","account":0,"amount":"1000000"}
        {"type":"deposit","account":1,"amount":"1000"}
        {"type":"deposit","account":2,"amount":"1000000"}
        {"type":"leverage","account":1,"market":"BTCUSDT","leverage":"20"}
        {"type":"leverage","account":2,"market":"BTCUSDT","leverage":"20"}
        {"type":"index","market":"BTCUSDT","price":"100000"}
        {"type":"mark","market":"BTCUSDT","price":"100000"}
        {"type":"trade","market":"BTCUSDT","buyer":1,"seller":2,"size":"0.1","price":"100000","buyerFee":"0",\
        "sellerFee":"0"}
        {"type":"mark","market":"BTCUSDT","price":"100000"}

        """

    /// Account 1: 1,000 USDT cross wallet, long 0.1 BTC from 100,000, maintenance 0.4 %:
    /// 1000 + 0.1·(P − 100000) < 0.0004·P ⇔ P < 90,361.4457…, so the highest liquidatable tick is 90,361.4
    /// (9.6386 % below the mark). Account 2 (short, 1,000,000 USDT) is nowhere near; account 0 is the engine's
    /// backstop vault, which is never liquidated and so never listed.
    @Test func scanFindsTheExactTriggerTick() throws {
        let file = try Self.temporaryFile("events.jsonl", Self.scanEvents)
        let near = try ScanCommand.parse(["--events", file, "--within", "10", "--csv"])
        let lines = try near.output().split(separator: "\n")
        #expect(lines.count == 2)  // the CSV header and one row: the mark on line 11, after the trade
        #expect(lines.last?.hasPrefix("11,BTCUSDT,100000,1,long,0.1,cross,90361.4,") == true)
        let far = try ScanCommand.parse(["--events", file, "--within", "9%", "--csv"])
        #expect(try far.output().split(separator: "\n").count == 1)  // header only
    }

    /// Two Binance BTCUSDT positions at 10×: their liquidation prices (from FulcrumCore's quote) land in the
    /// buckets below and above the reference, and the notional there is |size| × liquidation price.
    @Test func heatmapPositionsPlacesLongsBelowAndShortsAbove() throws {
        let positions = try Self.temporaryFile(
            "positions.csv",
            "side,entry,size,leverage\nlong,100000,1,10\nshort,100000,2,10\n"
        )
        let command = try HeatmapCommand.parse([
            "--positions", positions, "--venue", "binance", "--price", "100000", "--bucket", "0.01", "--buckets", "20",
            "--depth", "50000", "--json",
        ])
        let text = try command.output()
        let json = try Self.object(text)
        #expect((json["positions"] as? Int) == 2)
        let buckets = try #require(json["buckets"] as? [[String: Any]])
        #expect(buckets.count == 40)
        let longs = Self.rawNumbers(text, key: "long").filter { $0 != "0" }
        let shorts = Self.rawNumbers(text, key: "short").filter { $0 != "0" }
        #expect(longs.count == 1 && shorts.count == 1)
        // 10× long: liquidation ≈ 90.4k (bucket [90000, 91000)); short ≈ 109.6k (bucket [109000, 110000)).
        let longBucket = try #require(buckets.first { ($0["long"] as? Double ?? 0) > 0 })
        #expect((longBucket["lower"] as? Double) == 90_000)
        let shortBucket = try #require(buckets.first { ($0["short"] as? Double ?? 0) > 0 })
        #expect((shortBucket["lower"] as? Double) == 109_000)
        // The 90k long notional (~90,400) exceeds the 10 buckets × 50,000 of depth? No: 500,000 > 90,400.
        #expect(json["longExhaustion"] is NSNull)
        // The short notional 2 × ~109,600 = ~219,000 exceeds the depth of the 10 buckets up to it only at 500,000: no.
        #expect(json["shortExhaustion"] is NSNull)
    }

    /// `--scenario` takes a cascade-lab scenario: the positions are the lab's population for the seed (same seed,
    /// same map; another seed, another population) and the depth is the book walk on the scenario's book.
    @Test func heatmapScenarioUsesTheLabPopulationAndBook() throws {
        let scenario = try Self.temporaryFile(
            "scenario.json",
            """
            { "startPrice": "100000",
              "liquidity": { "model": "book", "levels": 400, "spacing": "0.0005", "firstSize": "0.5", "slope": 0,
                             "depthScale": 2 },
              "population": { "count": 3000 } }
            """
        )
        func run(_ extra: [String]) throws -> String {
            try HeatmapCommand.parse(["--scenario", scenario, "--bucket", "0.01", "--buckets", "10"] + extra).output()
        }
        let csv = try run(["--seed", "7", "--csv"])
        let json = try Self.object(try run(["--seed", "7", "--json"]))
        let lab = try LabScenarioFile.load(path: scenario)
        let population = try MonteCarloRunner.population(scenario: lab, seed: 7, threads: 1)
        // Open positions that can be liquidated (a liquidation price above zero).
        let liquidatable = (0..<population.count).filter {
            population.isOpen($0) && population.liquidationPrices[$0] > 0
        }
        #expect((json["positions"] as? Int) == liquidatable.count && liquidatable.count > 2_900)
        #expect((json["reference"] as? Double) == 100_000)
        #expect(try run(["--seed", "7", "--csv"]) == csv)
        #expect(try run(["--seed", "8", "--csv"]) != csv)
        // Book: level i at offset 0.00025 + 0.0005·i, 0.5 × depthScale 2 = 1 BTC each. The first bucket below
        // ([99000, 100000)) reaches the 20 levels down to 99,002.5: Σ 1 × 100000·(1 − offset_i).
        var expected = MoneySum()
        for i in 0..<20 {
            let offset = Rate(raw: 100_000_000 - 25_000 - 50_000 * Int64(i))
            expected += try Money(units: 100_000).times(offset, rounding: .down)
        }
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let firstBelow = try #require(rows.first { $0.first == "99000" })
        #expect(firstBelow[5] == "\(expected)")
        #expect {
            _ = try run(["--depth", "5"])
        } throws: { error in
            "\(error)".contains("--depth")
        }
    }

    @Test func heatmapNeedsExactlyOneInput() throws {
        let command = try HeatmapCommand.parse(["--json"])
        #expect {
            _ = try command.output()
        } throws: { error in
            "\(error)".contains("--positions") && "\(error)".contains("--scenario")
        }
    }
}
