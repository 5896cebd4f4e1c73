import ArgumentParser
import Foundation
import FulcrumCommands
import FulcrumCore
import FulcrumEngine
import Testing

/// `fulcrum bench`: workload names, input generation shared with `bench/peers/workloads.py`, output formats.
@Suite struct BenchCommandTests {
    @Test func unknownWorkloadIsRejectedByName() throws {
        let command = try BenchCommand.parse(["--workload", "liqprice", "--workload", "nope"])
        #expect(throws: (any Error).self) { try command.selected() }
        do {
            _ = try command.selected()
        } catch {
            #expect("\(error)".contains("\"nope\""))
            #expect("\(error)".contains("cross-check"))
        }
    }

    @Test func defaultRunsAllFourWorkloadsInOrder() throws {
        let command = try BenchCommand.parse([])
        #expect(try command.selected().map(\.rawValue) == ["liqprice", "cross-check", "backtest-year", "cascade"])
    }

    @Test func nonPositiveSizesAreRejected() throws {
        let command = try BenchCommand.parse(["--positions", "0"])
        #expect(throws: (any Error).self) { try command.selected() }
    }

    /// `--threads` starts one worker per thread while a workload is timed: more than 256 is refused by name.
    @Test func tooManyThreadsAreRejected() throws {
        let command = try BenchCommand.parse(["--threads", "257"])
        let error = try #require(throws: ValidationError.self) { try command.selected() }
        #expect(error.message == "--threads 257 must be at most 256")
        #expect(try BenchCommand.parse(["--threads", "256"]).selected().count == 4)
    }

    /// The first positions equal what `bench/peers/workloads.py` `isolated_positions(3)` prints for seed 42:
    /// (is_long, entry ticks, size steps, leverage, margin raw) = (False, 359910, 1394, 44, 114026031818),
    /// (True, 1068228, 1093, 101, 115601307326), (True, 818482, 1025, 62, 135313556451). Both sides of the peer
    /// comparison therefore solve the very same positions.
    @Test func isolatedPositionsMatchThePeersGenerator() {
        let positions = BenchWorkload.IsolatedPositions(count: 3, seed: 42)
        #expect(positions.sides == [.short, .long, .long])
        let ticks: [Int64] = [359_910, 1_068_228, 818_482]
        let steps: [Int64] = [1_394, 1_093, 1_025]
        let margins: [Int64] = [114_026_031_818, 115_601_307_326, 135_313_556_451]
        #expect(positions.entries.map(\.raw) == ticks.map { $0 * 10_000_000 })
        #expect(positions.sizes.map(\.raw) == steps.map { $0 * 100_000 })
        #expect(positions.margins.map(\.raw) == margins)
    }

    /// The batch the workload times gives the scalar solver's answer on the generated positions (a spot check of
    /// what is being measured, not a re-test of the batch).
    @Test func liqpriceWorkloadSolvesTheScalarAnswer() throws {
        let positions = BenchWorkload.IsolatedPositions(count: 200, seed: 7)
        let batch = try IsolatedLiquidationBatch(venue: .binance, market: MarketCatalog.binanceBTCUSDT)
        let prices: [Price?] = try batch.liquidationPrices(
            sides: positions.sides,
            entries: positions.entries,
            sizes: positions.sizes,
            margins: positions.margins
        )
        for index in 0..<200 {
            let quote = try VenueProfile.binance.liquidationQuote(
                LiquidationPriceInput(
                    side: positions.sides[index],
                    entryPrice: positions.entries[index],
                    size: positions.sizes[index],
                    margin: .wallet(positions.margins[index])
                ),
                market: MarketCatalog.binanceBTCUSDT
            )
            #expect(prices[index] == quote.liquidationPrice, "position \(index)")
        }
    }

    @Test func crossCheckCountsSomeButNotAllAccounts() throws {
        let command = try BenchCommand.parse([
            "--workload", "cross-check", "--accounts", "500", "--runs", "1", "--json",
        ])
        let text = try command.output()
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        )
        let workloads = try #require(object["workloads"] as? [[String: Any]])
        #expect(workloads.count == 1)
        let row = try #require(workloads.first)
        #expect(row["name"] as? String == "cross-check")
        #expect(row["items"] as? Int == 500)
        let seconds = try #require(row["seconds"] as? Double)
        #expect(seconds > 0)
        let rate = try #require(row["itemsPerSecond"] as? Double)
        #expect(abs(rate - 500 / seconds) <= 1e-6 * rate)
        // The shock (−7 %, −9 %, −7 %) at 2–16× leverage liquidates some accounts, never all (half are short).
        let detail = try #require(row["detail"] as? String)
        let liquidatable = try #require(Int(detail.split(separator: " ")[0]))
        #expect(liquidatable > 0 && liquidatable < 500)
    }

    /// Splitting the work over threads changes nothing but the time: same counts, same checksum. Three timed runs, so
    /// the worker team is reused from run to run.
    @Test func threadCountDoesNotChangeResults() throws {
        func details(_ threads: String) throws -> [String] {
            let command = try BenchCommand.parse([
                "--workload", "liqprice", "--workload", "cross-check", "--positions", "3001", "--accounts", "701",
                "--runs", "3", "--threads", threads,
            ])
            let text = try command.output()
            return text.split(separator: "\n").dropFirst().map { line in
                String(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(6).joined(separator: " "))
            }
        }
        let one = try details("1")
        #expect(one.count == 2)
        #expect(try details("2") == one)
        #expect(try details("3") == one)
    }

    /// Every generated account holds one position in each of the three markets, and account 0 takes the other
    /// side of all of them: the net size of each market is zero.
    @Test func crossEngineAccountsHoldThreeOffsetPositions() throws {
        let engine = try BenchWorkload.crossEngine(accounts: 300, seed: 11)
        #expect(engine.accountCount == 301)
        for market in 0..<3 {
            let id = MarketID(UInt32(market))
            var net: Int64 = 0
            for account in 0...300 {
                let size = engine.position(AccountID(UInt32(account)), id).size.raw
                if account > 0 { #expect(size != 0, "account \(account) market \(market)") }
                net += size
            }
            #expect(net == 0, "market \(market)")
        }
    }
}
