import FulcrumAnalytics
import FulcrumCore
import PropertyBased
import Testing

/// Backtests on small synthetic series whose outcome follows from the rules by hand.
struct BacktestTests {
    static let binance = VenueProfile.profile(for: .binance)
    static func btc() throws -> MarketSpec { try MarketCatalog.market(venue: .binance, symbol: "BTCUSDT") }

    static func series(_ prices: [Int64], stepMs: Int64 = 60_000) throws -> PriceSeries {
        try PriceSeries(
            timestamps: prices.indices.map { Int64($0) * stepMs },
            prices: try prices.map { p throws(ArithmeticError) in try Price(units: p) }
        )
    }

    @Test func holdFundingIsTheExactSumOfRateTimesPriceTimesSize() throws {
        let perp = try Self.series([100_000, 101_000, 99_000, 100_500, 102_000])
        // Payments at jittered times between samples (as Binance stamps them: +1 ms, +2 ms).
        let funding = try FundingSeries(
            timestamps: [1, 60_002, 180_000, 240_001],
            rates: [Rate(raw: 10_000), Rate(raw: -5_000), Rate(raw: 9_657), Rate(raw: 100)]
        )
        let config = BacktestConfig(
            strategy: .hold,
            side: .long,
            size: .one,
            leverage: try Leverage(units: 10),
            takerFee: .zero,
            profile: Self.binance,
            market: try Self.btc()
        )
        let result = try Backtester.run(config: config, perp: perp, funding: funding)
        // −Σ rate·price·1 BTC with the price of the latest sample at or before each payment:
        // −(0.0001·100000 − 0.00005·101000 + 0.00009657·100500 + 0.000001·102000)
        // = −(10 − 5.05 + 9.705285 + 0.102) = −14.757285
        #expect(result.funding == (try Money(parsing: "-14.757285")))
        #expect(result.fundingPricing.settled == 4)
        #expect(result.fundingPricing.exact == 1)
        #expect(result.fundingPricing.earlierSample == 3)
        #expect(result.fundingPricing.maxStalenessMs == 2)
        #expect(result.liquidations == 0)
        // Equity = initial margin + price PnL + funding: 10000 + 2000 − 14.757285.
        #expect(result.finalEquity == (try Money(parsing: "11985.242715")))
        #expect(result.maxDrawdown == (try Money(units: 2_000)))
    }

    @Test func shortReceivesPositiveFunding() throws {
        let perp = try Self.series([50_000, 50_000])
        let funding = try FundingSeries(timestamps: [30_000], rates: [Rate(raw: 10_000)])
        let config = BacktestConfig(
            strategy: .hold,
            side: .short,
            size: try Quantity(parsing: "2"),
            leverage: try Leverage(units: 5),
            takerFee: .zero,
            profile: Self.binance,
            market: try Self.btc()
        )
        let result = try Backtester.run(config: config, perp: perp, funding: funding)
        #expect(result.funding == (try Money(units: 10)))  // 0.0001 × 50000 × 2
    }

    @Test func paymentsBeforeTheFirstSampleAndAfterLiquidationAreCountedNotDropped() throws {
        // 20× long from 100,000: Binance BTCUSDT tier 1 MMR 0.4 %; liquidated when the price falls about 4.6 %.
        let perp = try Self.series([100_000, 99_000, 90_000, 91_000, 92_000])
        let funding = try FundingSeries(
            timestamps: [-5, 60_001, 180_001, 240_500],
            rates: [Rate(raw: 10_000), Rate(raw: 10_000), Rate(raw: 10_000), Rate(raw: 10_000)]
        )
        let config = BacktestConfig(
            strategy: .hold,
            side: .long,
            size: .one,
            leverage: try Leverage(units: 20),
            takerFee: .zero,
            profile: Self.binance,
            market: try Self.btc()
        )
        let result = try Backtester.run(config: config, perp: perp, funding: funding)
        let p = result.fundingPricing
        #expect(p.beforeFirstSample == 1)
        #expect(p.settled == 1)
        #expect(p.afterClose == 2)
        #expect(p.beforeFirstSample + p.settled + p.afterClose == funding.count)
        #expect(result.liquidations == 1)
        #expect(result.liquidationTimes == [120_000])
        // Loss 10,000 + 9.9 funding on a 5,000 margin: bad debt 5,009.9, equity zero.
        #expect(result.badDebt == (try Money(parsing: "5009.9")))
        #expect(result.finalEquity == .zero)
    }

    /// The backtest's maintenance trigger agrees with the core's liquidation price (rounded toward safety: up for a
    /// long, down for a short): one tick on the safe side survives, one tick beyond is liquidated.
    @Test(arguments: [PositionSide.long, .short], [5, 10, 20, 50])
    func triggerMatchesTheCoreLiquidationPrice(side: PositionSide, leverage: Int64) throws {
        let market = try Self.btc()
        let entry = try Price(units: 100_000)
        let lev = try Leverage(units: leverage)
        let quote = try Self.binance.liquidationQuote(
            LiquidationPriceInput(side: side, entryPrice: entry, size: .one, margin: .leverage(lev)),
            market: market
        )
        let liquidation = try #require(quote.liquidationPrice)
        let tick = market.tickSize
        let safe = side == .long ? liquidation + tick : liquidation - tick
        let config = BacktestConfig(
            strategy: .hold,
            side: side,
            size: .one,
            leverage: lev,
            wallet: quote.margin,
            takerFee: .zero,
            profile: Self.binance,
            market: market
        )
        let empty = try FundingSeries(timestamps: [], rates: [])
        let survive = try PriceSeries(timestamps: [0, 60_000], prices: [entry, safe])
        #expect(try Backtester.run(config: config, perp: survive, funding: empty).liquidations == 0)
        let beyond = side == .long ? liquidation - tick : liquidation + tick
        let touch = try PriceSeries(timestamps: [0, 60_000], prices: [entry, beyond])
        #expect(try Backtester.run(config: config, perp: touch, funding: empty).liquidations == 1)
    }

    @Test func fundingHarvestIsDeltaNeutral() throws {
        let perp = try Self.series([100_000, 110_000, 90_000, 100_000])
        let spot = try Self.series([100_000, 110_000, 90_000, 100_000])
        let funding = try FundingSeries(timestamps: [60_000], rates: [Rate(raw: 10_000)])
        let config = BacktestConfig(
            strategy: .fundingHarvest,
            side: .short,
            size: .one,
            leverage: try Leverage(units: 2),
            takerFee: .zero,
            spotFee: .zero,
            profile: Self.binance,
            market: try Self.btc()
        )
        let result = try Backtester.run(config: config, perp: perp, spot: spot, funding: funding)
        #expect(result.liquidations == 0)
        #expect(result.funding == (try Money(units: 11)))  // the short receives 0.0001 × 110,000
        #expect(result.pricePnl == .zero)
        #expect(result.finalEquity == (try result.initialEquity.adding(result.funding)))
    }

    @Test func walletBelowTheOpeningRequirementIsRejectedNamingIt() throws {
        let perp = try Self.series([100_000, 100_000])
        let config = BacktestConfig(
            strategy: .hold,
            side: .long,
            size: .one,
            leverage: try Leverage(units: 10),
            wallet: try Money(units: 100),
            profile: Self.binance,
            market: try Self.btc()
        )
        #expect {
            try Backtester.run(config: config, perp: perp, funding: try FundingSeries(timestamps: [], rates: []))
        } throws: { error in
            "\(error)".contains("wallet 100")
        }
    }

    @Test func volTargetTradesAndStaysWithinItsCap() throws {
        // A deterministic zig-zag: ±0.1 % per minute for two days, then ±1 % for two days: the volatility rises
        // tenfold, so the second-half rebalances must cut the position.
        var prices: [Int64] = []
        for i in 0..<(4 * 1_440) {
            let up: Int64 = i < 2 * 1_440 ? 100 : 1_000
            prices.append(i % 2 == 0 ? 100_000 : 100_000 + up)
        }
        let perp = try Self.series(prices)
        let config = BacktestConfig(
            strategy: .volTarget,
            side: .long,
            size: try Quantity(parsing: "5"),
            leverage: try Leverage(units: 3),
            wallet: try Money(units: 100_000),
            profile: Self.binance,
            market: try Self.btc(),
            targetVolatility: 0.2
        )
        let result = try Backtester.run(
            config: config,
            perp: perp,
            funding: try FundingSeries(timestamps: [], rates: [])
        )
        #expect(result.trades >= 2)
        #expect(result.liquidations == 0)
        #expect(result.fees.isPositive)
    }

    /// Property: opening and closing at the same price realises nothing; at another price it realises size × move.
    @Test func perpLegRoundTripRealisesExactlyTheMove() async {
        await propertyCheck(
            input: Gen.int(in: 1...1_000_000),
            Gen.int(in: 1_000...200_000),
            Gen.int(in: -50_000...50_000)
        ) { sizeMilli, entry, move in
            var leg = PerpLeg()
            let size = Quantity(raw: Int64(sizeMilli) * 100_000)
            let open = Price(raw: Int64(entry) * 100_000_000)
            let close = Price(raw: Int64(max(1, entry + move)) * 100_000_000)
            _ = try leg.trade(size, at: open)
            let realized = try leg.trade(-size, at: close)
            let expected = Int64(sizeMilli) * Int64(max(1, entry + move) - entry) * 100_000  // exact: whole prices
            #expect(realized.raw == expected)
            #expect(leg.size.isZero)
        }
    }
}
