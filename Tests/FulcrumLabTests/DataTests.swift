import Foundation
import FulcrumCore
import FulcrumIO
import Testing

@testable import FulcrumLab

/// Tests on the shared real data (`../shared/data`, or `FULCRUM_DATA`). Missing data: a printed notice and a
/// return, except under `CI=true`, where it fails.
@Suite("Loaders on shared data")
struct DataTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func file(_ relative: String) -> String? {
        if let url = DataDirectory.file(relative, packageRoot: Self.packageRoot) { return url.path }
        if DataDirectory.isCI {
            Issue.record("shared data file \(relative) is missing in CI")
        } else {
            print("notice: shared data file \(relative) not found; skipping (set FULCRUM_DATA)")
        }
        return nil
    }

    @Test func binanceSnapshotHasAThousandLevelsPerSide() throws {
        guard
            let path = file(
                "hftbacktest-examples-binance-hyperliquid/binance_usdm_btcusdt_depth_snapshot_rest_2024-08-08T2354.csv"
            )
        else { return }
        let snap = try CSVBookSnapshot.load(path: path)
        #expect(snap.bids.offsets.count == 1_000)
        #expect(snap.asks.offsets.count == 1_000)
        // Best bid 61,800.20 (file row 2); best ask one tick above the mid.
        #expect(snap.mid > Price(raw: 6_180_020_000_000))
        // The book walk on real levels: selling the first level's 2.909 BTC fills at the best bid exactly.
        let book = OrderBook(bids: snap.bids, asks: snap.asks)
        let fill = try book.quoteSell(Quantity(raw: 290_900_000), mid: snap.mid)
        #expect(fill.levelsTouched == 1)
        #expect(fill.worstPrice <= Price(raw: 6_180_020_000_000))
    }

    @Test func crashSliceReplays() throws {
        guard
            let path = file(
                "binance-btcusdt-perp-1m-klp61/btcusdt_1m_mark_index_mid_spot_2025-10-09_2025-10-12_crash.csv"
            )
        else { return }
        let prices = try CSVPriceSeries.load(path: path, column: "perp_mark")
        #expect(prices.count == 5_760)
        // SOURCE.md: minimum 1m perp_mark on 2025-10-10 at 21:20 UTC, "104,127.04" (rounded there).
        // The file row (2025-10-10T21:20:00Z) holds 104127.03856514.
        #expect(prices.min() == Price(raw: 10_412_703_856_514))
        #expect(prices[0] == Price(raw: 12_323_794_232_609))  // 123237.94232609
    }

    @Test func gzipSeriesLoads() throws {
        guard
            let path = file("binance-btcusdt-perp-1m-klp61/btcusdt_1m_mark_index_mid_spot_2025-05-09_2026-05-09.csv.gz")
        else { return }
        let prices = try CSVPriceSeries.load(path: path, column: "perp_mark", startRow: 0, rows: 3)
        #expect(prices == [Price(raw: 10_322_090_000_000), Price(raw: 10_328_478_799_638), prices[2]])
    }

    @Test func hyperliquidPositionsMatchTheSourceCounts() throws {
        guard
            let path = file("hyperliquid-2025-10-10-positions-conejo/positions_FINAL_btc_sol_2025-10-10T2115_2127.csv")
        else { return }
        let btc = try CSVPositions.load(path: path, asset: "BTC")
        // SOURCE.md: BTC 6,925 rows, 1,575 liquidated, 1,759 ADL'd.
        #expect(btc.count == 6_925)
        #expect(btc.filter(\.wasLiquidated).count == 1_575)
        #expect(btc.filter(\.wasADL).count == 1_759)
    }

    @Test func scenarioFileOverridesAndRejectsUnknownKeys() throws {
        let text = """
            {"name": "t", "steps": 100, "insuranceFund": "123.5", "population": {"count": 500, "longFraction": 0.9},
             "priceModel": {"type": "merton", "volatility": 0.001, "shock": -0.05, "shockStep": 10},
             "oracle": {"sources": [{"latencySteps": 1}], "aggregation": "ema", "emaAlpha": "0.5"}}
            """
        let s = try LabScenarioFile.parse(text, file: "t.json", baseDirectory: ".")
        #expect(s.steps == 100)
        #expect(s.insuranceFund == Money(raw: 12_350_000_000))
        #expect(s.population.count == 500)
        #expect(s.oracle.aggregation == .ema(alpha: Rate(raw: 50_000_000)))
        #expect(throws: LabFileError.self) {
            try LabScenarioFile.parse("{\"populaton\": {}}", file: "t.json", baseDirectory: ".")
        }
        do {
            _ = try LabScenarioFile.parse("{\"steps\": -3}", file: "t.json", baseDirectory: ".")
            Issue.record("negative steps accepted")
        } catch {
            #expect(error.message.contains("steps -3"))
        }
    }

    @Test func exampleScenariosLoad() throws {
        let dir = Self.packageRoot.appendingPathComponent("examples").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.filter { $0.hasSuffix(".json") } ?? []
        for name in names.sorted() {
            if name.contains("replay") || name.contains("snapshot") || name.contains("hyperliquid"),
                DataDirectory.locate(packageRoot: Self.packageRoot) == nil
            {
                continue
            }
            _ = try LabScenarioFile.load(path: dir + "/" + name)
        }
    }
}
