import FulcrumAnalytics
import FulcrumCore
import FulcrumIO

/// Workload 3: the year backtest.
extension BenchWorkload {
    /// The year of 1-minute Binance BTCUSDT samples (mark price) under the data directory.
    static let yearPrices = "binance-btcusdt-perp-1m-klp61/btcusdt_1m_mark_index_mid_spot_2025-05-09_2026-05-09.csv.gz"
    /// The year's realised 8-hour funding.
    static let yearFunding = "binance-btcusdt-perp-1m-klp61/btcusdt_funding_8h_2025-05-10_2026-05-09.csv"

    /// One 20× long of 1 BTC held over the year (Binance BTCUSDT rules, 0.05 % taker fee): reading the files is
    /// not timed, ``Backtester/run(config:perp:spot:funding:)`` is.
    static func backtestYear(_ settings: BenchSettings) throws(BenchError) -> BenchMeasurement {
        let name = BenchWorkload.backtestYear.rawValue
        let pricesURL = try dataFile(yearPrices, workload: name)
        let fundingURL = try dataFile(yearFunding, workload: name)
        let perp: PriceSeries
        let funding: FundingSeries
        do {
            let table = try MarketDataCSV.readColumns(
                pricesURL,
                timestampColumn: "timestamp_ms",
                columns: ["perp_mark"]
            )
            perp = try PriceSeries(timestamps: table.timestamps, prices: table.values[0].map(Price.init(raw:)))
            funding = try MarketDataCSV.readFunding(fundingURL)
        } catch {
            throw BenchError("\(name): reading \(yearPrices): \(error)")
        }
        let config = BacktestConfig(
            strategy: .hold,
            side: .long,
            size: .one,
            leverage: Leverage(raw: 20 * FixedPointScale.factor),
            profile: .binance,
            market: MarketCatalog.binanceBTCUSDT
        )
        let (seconds, result) = try best(runs: settings.runs) { () throws(BenchError) -> BacktestResult in
            do {
                return try Backtester.run(config: config, perp: perp, funding: funding)
            } catch {
                throw BenchError("\(name): \(error)")
            }
        }
        // Per sample: timestamp and price (8 bytes each).
        return BenchMeasurement(
            name: name,
            items: perp.count,
            seconds: seconds,
            bytesPerItem: 16,
            detail:
                "\(perp.count) samples, \(funding.count) funding payments; final equity \(result.finalEquity), "
                + "\(result.liquidations) liquidation(s)"
        )
    }
}
