import FulcrumAnalytics
import FulcrumCore
import FulcrumIO
import Testing

/// Checks on the shared Binance BTCUSDT year (1-minute mark prices, 1,095 realised 8-hour funding payments).
struct BacktestDataTests {
    /// Issue 5: a 1 BTC long held over the whole funding year pays Σ rate × mark × size (about −4,029 USDT).
    /// The reference sum is computed here independently: each payment priced at the latest 1-minute mark at or
    /// before its (jittered) timestamp, exact rational sum, compared with the backtest's per-payment rounding.
    @Test func oneBitcoinLongPaysTheYearsFunding() throws {
        guard let bars = SharedData.file(SharedData.minuteBars), let fundingFile = SharedData.file(SharedData.funding8h)
        else { return }
        let prices = try MarketDataCSV.readPrices(bars, column: "perp_mark")
        let funding = try MarketDataCSV.readFunding(fundingFile)
        #expect(prices.count == 525_605)
        #expect(funding.count == 1_095)
        let config = BacktestConfig(
            strategy: .hold,
            side: .long,
            size: .one,
            leverage: .one,  // fully collateralised: the year's ~−22 % low would liquidate a 5× long
            takerFee: .zero,
            profile: VenueProfile.profile(for: .binance),
            market: try MarketCatalog.market(venue: .binance, symbol: "BTCUSDT")
        )
        let result = try Backtester.run(config: config, perp: prices, funding: funding)
        var exact: Int128 = 0  // Σ rate.raw × price.raw (units of 10⁻¹⁶ USDT)
        for (index, time) in funding.timestamps.enumerated() {
            let sample = try #require(prices.indexAtOrBefore(time))
            exact += funding.rates[index].wide * prices.prices[sample].wide
        }
        let exactPaid = -exact  // cash flow to the long
        // Per-payment rounding (index delta toward zero, payment down) moves each payment by < 2·10⁻⁸.
        let difference = result.funding.wide * 100_000_000 - exactPaid
        #expect(abs(difference) <= Int128(2 * funding.count) * 100_000_000)
        let low = try Money(units: -4_040)
        let high = try Money(units: -4_020)
        #expect(result.funding > low && result.funding < high)
        #expect(result.fundingPricing.settled == 1_095)
        #expect(result.fundingPricing.beforeFirstSample == 0)
        #expect(result.liquidations == 0)
        print("1 BTC long, year funding: \(result.funding) USDT (exact Σ: \(Double(exactPaid) / 1e16))")
    }

    /// A 100× long opened at the first sample of the year cannot survive the year: the trigger fires, and
    /// the result reports when.
    @Test func highLeverageLongIsLiquidated() throws {
        guard let bars = SharedData.file(SharedData.minuteBars), let fundingFile = SharedData.file(SharedData.funding8h)
        else { return }
        let prices = try MarketDataCSV.readPrices(bars, column: "perp_mark")
        let funding = try MarketDataCSV.readFunding(fundingFile)
        let config = BacktestConfig(
            strategy: .hold,
            side: .long,
            size: .one,
            leverage: try Leverage(units: 100),
            profile: VenueProfile.profile(for: .binance),
            market: try MarketCatalog.market(venue: .binance, symbol: "BTCUSDT")
        )
        let result = try Backtester.run(config: config, perp: prices, funding: funding)
        #expect(result.liquidations == 1)
        let at = try #require(result.liquidationTimes.first)
        let index = try #require(prices.indexAtOrBefore(at))
        // Liquidated at the first sample below ~99 % of the entry (1 % margin minus 0.4 % maintenance, fees).
        let ratio = Double(prices.prices[index].raw) / Double(prices.prices[0].raw)
        #expect(ratio < 0.995 && ratio > 0.98)
        for earlier in 0..<index {
            #expect(Double(prices.prices[earlier].raw) / Double(prices.prices[0].raw) > 0.99)
        }
    }
}
