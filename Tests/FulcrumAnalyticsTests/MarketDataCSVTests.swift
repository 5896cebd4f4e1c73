import Foundation
import FulcrumAnalytics
import FulcrumCore
import FulcrumIO
import Testing

struct MarketDataCSVTests {
    static func write(_ text: String, name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-md-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Large enough (> 4 MiB) for the two-chunk concurrent scan; every row is checked against its index.
    static func bigFile(rows: Int, badRow: Int? = nil) -> String {
        var text = "timestamp_ms,datetime_utc,perp_mark,index_price\n"
        text.reserveCapacity(rows * 60)
        for i in 0..<rows {
            let mark = i == badRow ? "12x" : "\(100_000 + i % 1_000).\(i % 100)"
            text += "\(i * 60_000),2025-01-01T00:00:00Z,\(mark),1.000000001\n"
        }
        return text
    }

    @Test func concurrentScanKeepsEveryRowInOrder() throws {
        let rows = 120_000
        let url = try Self.write(Self.bigFile(rows: rows), name: "big.csv")
        let table = try MarketDataCSV.readColumns(url, columns: ["perp_mark", "index_price"])
        #expect(table.timestamps.count == rows)
        for i in Swift.stride(from: 0, to: rows, by: 997) {
            #expect(table.timestamps[i] == Int64(i * 60_000))
            let expected = try Price(parsing: "\(100_000 + i % 1_000).\(i % 100)")
            #expect(table.values[0][i] == expected.raw)
            #expect(table.values[1][i] == 100_000_000)  // 1.000000001 rounds half-even to 1
        }
    }

    @Test func badValueInTheSecondHalfNamesItsExactRow() throws {
        let url = try Self.write(Self.bigFile(rows: 120_000, badRow: 100_000), name: "bad.csv")
        #expect {
            try MarketDataCSV.readColumns(url, columns: ["perp_mark"])
        } throws: { error in
            "\(error)".contains("row 100002 column perp_mark: \"12x\"")  // header is row 1, data row k is k + 2
        }
    }

    @Test func fundingFileWithSeveralSymbolsNeedsOne() throws {
        let url = try Self.write(
            "venue,venue_symbol,settlement_time_ms,rate_raw\nbinance,BTCUSDT,1,0.0001\nbinance,ETHUSDT,2,0.0002\n"
                + "binance,BTCUSDT,3,-5e-05\n",
            name: "multi.csv"
        )
        #expect(throws: MarketDataError.self) { try MarketDataCSV.readFunding(url) }
        let btc = try MarketDataCSV.readFunding(url, symbol: "BTCUSDT")
        #expect(btc.timestamps == [1, 3])
        #expect(btc.rates == [Rate(raw: 10_000), Rate(raw: -5_000)])
    }
}
