import FulcrumCore
import Testing

/// Worked examples from venue docs and upstream tests, each cited next to its case. Published values are
/// floating-point; they are compared with the exact fixed-point result within the stated tolerance.
@Suite("Liquidation price: worked examples")
struct LiquidationPriceTests {
    /// A market with a 10⁻⁸ tick, so the quote is the exact root rounded once (parameters come from overrides).
    static func exactMarket(_ kind: ContractKind = .linear) throws -> MarketSpec {
        MarketSpec(
            symbol: "TEST",
            kind: kind,
            tickSize: Price(raw: 1),
            stepSize: Quantity(raw: 1),
            contractValue: .one,
            tiers: try MarginTierTable(tiers: [
                MarginTier(
                    notionalFloor: .zero,
                    notionalCap: nil,
                    maxLeverage: try Leverage(units: 1_000),
                    maintenanceMarginRate: try Rate(parsing: "0.01"),
                    maintenanceDeduction: .zero
                )
            ]),
            tierSource: "test fixture 2026-11-21"
        )
    }

    static func value(_ price: Price?) throws -> Double {
        let price = try #require(price)
        return Double(price.raw) / 1e8
    }

    static func input(
        _ side: PositionSide,
        entry: String,
        size: String,
        wallet: String,
        mode: MarginMode = .isolated,
        others: [CrossPosition] = [],
        overrides: LiquidationOverrides = .none
    ) throws -> LiquidationPriceInput {
        LiquidationPriceInput(
            side: side,
            entryPrice: try Price(parsing: entry),
            size: try Quantity(parsing: size),
            margin: .wallet(try Money(parsing: wallet)),
            mode: mode,
            otherPositions: others,
            overrides: overrides
        )
    }

    // MARK: freqtrade tests/test_freqtradebot.py test_execute_entry (docstring formulas and asserted liq_price):
    // wallet 2, entry 10, amount 1 (stake 0.2 × leverage 5), mmr 0.01, cum 0.01, OKX taker 0.0006.

    @Test(
        arguments: [
            // freqtrade tests/test_freqtradebot.py test_execute_entry: binance short 11.89108910891089.
            (VenueID.binance, PositionSide.short, "0.01", "0.01", nil as String?, 11.89108910891089),
            // same test: binance long 8.070707070707071.
            (.binance, .long, "0.01", "0.01", nil, 8.070707070707071),
            // same test: okx short (Gate/OKX formula with taker 0.0006) 11.87413417771621.
            (.okx, .short, "0.01", "0", "0.0006", 11.87413417771621),
            // same test: okx long 8.085708510208207.
            (.okx, .long, "0.01", "0", "0.0006", 8.085708510208207),
            // same test: bybit short 11.9 (LP = entry + (IM − MM)/size, MM at entry value, no deduction).
            (.bybit, .short, "0.01", "0", nil, 11.9),
            // same test: bybit long 8.1.
            (.bybit, .long, "0.01", "0", nil, 8.1),
        ]
    )
    func freqtradeExecuteEntry(
        venue: VenueID,
        side: PositionSide,
        mmr: String,
        cum: String,
        taker: String?,
        expected: Double
    ) throws {
        let overrides = LiquidationOverrides(
            maintenanceMarginRate: try Rate(parsing: mmr),
            maintenanceDeduction: try Money(parsing: cum),
            takerFee: try taker.map { (text: String) throws(ArithmeticError) -> Rate in try Rate(parsing: text) }
        )
        let quote = try VenueProfile.profile(for: venue).liquidationQuote(
            try Self.input(side, entry: "10", size: "1", wallet: "2", overrides: overrides),
            market: try Self.exactMarket()
        )
        let got = try Self.value(quote.liquidationPrice)
        #expect(abs(got - expected) <= 1.5e-8, "\(venue) \(side): \(got) vs \(expected)")
        // Conservative rounding: a long's price is not below the exact root, a short's not above.
        if side == .long { #expect(got >= expected - 1e-12) } else { #expect(got <= expected + 1e-12) }
    }

    // MARK: freqtrade tests/exchange/test_binance.py test_liquidation_price_binance (asserted values rounded
    // to 2 decimals); the cross rows are Binance's official calculation example (wallet 1,535,443.01 with a BTC
    // and an ETH position), https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93.

    static let btcOther = CrossPosition(
        market: try! exactMarket(),
        entryPrice: try! Price(parsing: "32481.98"),
        size: try! Quantity(parsing: "109.488"),
        markPrice: try! Price(parsing: "31967.27"),
        maintenanceMarginRate: try! Rate(parsing: "0.025"),
        maintenanceDeduction: try! Money(parsing: "16300")
    )
    static let ethOther = CrossPosition(
        market: try! exactMarket(),
        entryPrice: try! Price(parsing: "1456.84"),
        size: try! Quantity(parsing: "3683.979"),
        markPrice: try! Price(parsing: "1335.18"),
        maintenanceMarginRate: try! Rate(parsing: "0.10"),
        maintenanceDeduction: try! Money(parsing: "135365")
    )

    @Test(
        arguments: [
            // test_liquidation_price_binance row 1: ETH isolated → 1114.78.
            ("3683.979", "1456.84", "0.10", "135365", MarginMode.isolated, [CrossPosition](), 1114.78),
            // row 2: isolated, BTC-sized position → 18778.73.
            ("109.488", "32481.98", "0.025", "16300", .isolated, [], 18778.73),
            // row 3: ETH cross with the BTC position as "other" (the ETH entry itself is excluded) → 1153.26.
            ("3683.979", "1456.84", "0.10", "135365", .cross, [btcOther], 1153.26),
            // row 4: BTC cross with the ETH position as "other" → 26316.89.
            ("109.488", "32481.98", "0.025", "16300", .cross, [ethOther], 26316.89),
        ]
    )
    func freqtradeBinanceRows(
        size: String,
        entry: String,
        mmr: String,
        cum: String,
        mode: MarginMode,
        others: [CrossPosition],
        expected: Double
    ) throws {
        let overrides = LiquidationOverrides(
            maintenanceMarginRate: try Rate(parsing: mmr),
            maintenanceDeduction: try Money(parsing: cum)
        )
        let input = try Self.input(
            .long,
            entry: entry,
            size: size,
            wallet: "1535443.01",
            mode: mode,
            others: others,
            overrides: overrides
        )
        let quote = try VenueProfile.binance.liquidationQuote(input, market: try Self.exactMarket())
        let got = try Self.value(quote.liquidationPrice)
        #expect(abs(got - expected) <= 0.005 + 1e-8, "\(got) vs \(expected)")
    }

    // MARK: freqtrade tests/exchange/test_hyperliquid.py test_hyperliquid_dry_run_liquidation_price:
    // exchange-reported liquidation prices (rel 1e-4), fixture max leverage BTC/ETH 50, SOL/DOGE 20, HIP-3 10.

    static let hyperliquidRows: [(String, String, PositionSide, String, String, Int64, Double)] = [
        ("ETH", "2458.5", .long, "0.015", "36.864593", 50, 0.86915825),
        ("BTC", "63287.0", .long, "0.00039", "24.673292", 50, 22.37166537),
        ("SOL", "146.82", .long, "0.16", "23.482979", 20, 0.05269872),
        ("SOL", "145.83", .long, "0.33", "24.045107", 20, 74.83696193),
        ("ETH", "2459.5", .long, "0.0199", "24.454895", 50, 1243.0411908),
        ("BTC", "62739.0", .long, "0.00077", "24.137992", 50, 31708.03843631),
        ("DOGE", "0.11586", .long, "437.0", "25.29769", 20, 0.05945697),
        ("ETH", "2642.8", .short, "0.019", "25.091876", 50, 3924.18322043),
        ("SOL", "155.89", .short, "0.32", "24.924941", 20, 228.07847866),
        ("DOGE", "0.14333", .short, "351.0", "25.136807", 20, 0.20970228),
        ("BTC", "68595.0", .short, "0.00069", "23.64871", 50, 101849.99354283),
        ("BTC", "65536.0", .short, "0.00099", "21.604172", 50, 86493.46174617),
        ("SOL", "173.06", .long, "0.6", "20.735658", 20, 142.05186667),
        ("ETH", "2545.5", .long, "0.0329", "20.909894", 50, 1929.23322895),
        ("BTC", "67400.0", .short, "0.00031", "20.887308", 50, 133443.97317151),
        ("ETH", "2552.0", .short, "0.0327", "20.833393", 50, 3157.53150453),
        ("BTC", "66930.0", .long, "0.0015", "20.043862", 50, 54108.51043771),
        ("BTC", "67033.0", .long, "0.00121", "20.251817", 50, 50804.00091827),
        ("ETH", "2521.9", .long, "0.0237", "19.902091", 50, 1699.14071943),
        ("BTC", "68139.0", .short, "0.00145", "19.72573", 50, 80933.61590987),
        ("SOL", "178.29", .short, "0.11", "19.605036", 20, 347.82205322),
        ("SOL", "176.23", .long, "0.33", "19.364946", 20, 120.56240404),
        ("SOL", "173.08", .short, "0.33", "19.01881", 20, 225.08561715),
        ("BTC", "68240.0", .short, "0.00105", "17.887922", 50, 84431.79820839),
        ("ETH", "2518.4", .short, "0.007", "17.62263", 50, 4986.05799151),
        ("ETH", "2533.2", .long, "0.0347", "17.555195", 50, 2047.7642302),
        ("DOGE", "0.13284", .long, "360.0", "15.943218", 20, 0.09082388),
        ("SOL", "163.11", .short, "0.48", "15.650731", 20, 190.94213618),
        ("BTC", "67141.0", .long, "0.00067", "14.979079", 50, 45236.52992613),
        ("XYZ-AAPL", "250.0", .long, "0.5", "25.0", 10, 210.5263157894737),
        ("XYZ-GOOGL", "190.0", .short, "0.5", "9.5", 10, 199.04761904761904),
        ("XYZ-TSLA", "350.0", .long, "1.0", "50.0", 10, 315.7894736842105),
    ]

    @Test(arguments: [MarginMode.isolated, .cross])
    func hyperliquidExchangeReported(mode: MarginMode) throws {
        var reproduced = 0
        for (coin, entry, side, size, collateral, maxLeverage, expected) in Self.hyperliquidRows {
            let overrides = LiquidationOverrides(maxLeverage: try Leverage(units: maxLeverage))
            let input = try Self.input(
                side,
                entry: entry,
                size: size,
                wallet: collateral,
                mode: mode,
                overrides: overrides
            )
            let quote = try VenueProfile.hyperliquid.liquidationQuote(input, market: try Self.exactMarket())
            let got = try Self.value(quote.liquidationPrice)
            let relative = abs(got - expected) / expected
            #expect(relative <= 1e-4, "\(coin) \(side) \(entry): \(got) vs \(expected)")
            if relative <= 1e-4 { reproduced += 1 }
        }
        #expect(reproduced == Self.hyperliquidRows.count)
    }

    // MARK: Binance bracket caveat (https://www.binance.com/es/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46: "if the
    // bracket at the liquidation price differs from the bracket at entry, substitute that bracket's MMR and cum
    // and recompute"), on the BTCUSDT table of perps.md §1.3.

    @Test func bracketAtLiquidationPriceIsUsed() throws {
        let market = try MarketCatalog.market(venue: .binance, symbol: "BTCUSDT")
        // Entry notional 52,000 (bracket 2: 0.5 %, cum 50); wallet 2,600 (20x).
        let input = try Self.input(.long, entry: "52000", size: "1", wallet: "2600")
        let quote = try VenueProfile.binance.liquidationQuote(input, market: market)
        // Bracket 2's closed form lands below 50,000 notional: inconsistent. Bracket 1 (0.4 %, cum 0) is used.
        let bracket2 = (2600.0 + 50 - 52000) / (0.005 - 1)
        let bracket1 = (2600.0 + 0 - 52000) / (0.004 - 1)
        #expect(bracket2 < 50_000 && bracket1 < 50_000)
        #expect(quote.tierIndex == 0)
        let got = try Self.value(quote.liquidationPrice)
        #expect(got >= bracket1 && got - bracket1 <= 0.1)  // rounded up to the 0.1 tick
        #expect(quote.maintenanceMargin.description == "210")  // 52,000 × 0.5 % − 50 at entry
    }

    // MARK: Inverse (coin-margined)

    /// perps.md §7 (Bybit inverse help): isolated long bankruptcy = Entry·Lev/(Lev + 1); liquidation with MM at
    /// the entry value = Entry·Lev/(Lev + 1 − MMR·Lev) (Bybit help "Liquidation Price (Inverse Contract)").
    @Test func bybitInverseLong() throws {
        let market = try MarketCatalog.market(venue: .bybit, symbol: "BTCUSD")
        let input = LiquidationPriceInput(
            side: .long,
            entryPrice: try Price(parsing: "50000"),
            size: try Quantity(parsing: "10000"),
            margin: .leverage(try Leverage(units: 10))
        )
        let quote = try VenueProfile.bybit.liquidationQuote(input, market: market)
        let bankruptcy = 50_000.0 * 10 / 11
        let liquidation = 50_000.0 * 10 / (10 + 1 - 0.005 * 10)
        #expect(try Self.value(quote.bankruptcyPrice) == 45455)  // 45,454.5454… up to the 0.5 tick
        #expect(try Self.value(quote.bankruptcyPrice) - bankruptcy < 0.5)
        let got = try Self.value(quote.liquidationPrice)
        #expect(got >= liquidation && got - liquidation < 0.5)
        #expect(quote.margin.description == "0.02")  // 10,000 USD / 50,000 / 10 in BTC
    }

    /// A 1× short on an inverse contract is never liquidated (its coin margin grows as price rises): none, not 0.
    @Test func inverseOneTimesShortHasNoLiquidationPrice() throws {
        let market = try MarketCatalog.market(venue: .bitmex, symbol: "XBTUSD")
        let input = LiquidationPriceInput(
            side: .short,
            entryPrice: try Price(parsing: "40000"),
            size: try Quantity(parsing: "1000"),
            margin: .leverage(.one)
        )
        let quote = try VenueProfile.bitmex.liquidationQuote(input, market: market)
        #expect(quote.liquidationPrice == nil)
        #expect(quote.bankruptcyPrice == nil)
    }

    /// A 1× linear long with no maintenance: bankruptcy at 0 is "none".
    @Test func fullyCollateralisedLongHasNoBankruptcyPrice() throws {
        let overrides = LiquidationOverrides(maintenanceMarginRate: .zero)
        let input = try Self.input(.long, entry: "100", size: "2", wallet: "200", overrides: overrides)
        let quote = try VenueProfile.binance.liquidationQuote(input, market: try Self.exactMarket())
        #expect(quote.bankruptcyPrice == nil)
        #expect(quote.liquidationPrice == nil)
    }

    // MARK: dYdX isolated liquidation price, https://dydx-documentation-six.vercel.app/concepts/trading/liquidations:
    // p' = (e − s·p) / (|s|·MMF − s), with MMF = IMF × maintenance fraction = 1.2 % (Large-Cap).

    @Test(arguments: [(PositionSide.long, "5000"), (.short, "5000"), (.long, "1234.5"), (.short, "800")])
    func dydxIsolatedFormula(side: PositionSide, equity: String) throws {
        let market = try MarketCatalog.market(venue: .dydx, symbol: "BTC-USD")
        let input = try Self.input(side, entry: "50000", size: "1", wallet: equity)
        let quote = try VenueProfile.dydx.liquidationQuote(input, market: market)
        let s = side == .long ? 1.0 : -1.0
        let e = Double(try Money(parsing: equity).raw) / 1e8
        let expected = (e - s * 50_000) / (abs(s) * 0.012 - s)
        let got = try Self.value(quote.liquidationPrice)
        #expect(abs(got - expected) <= 1.0, "\(got) vs \(expected)")  // tick 1
        // dYdX bankruptcy rounds toward +∞ for both sides.
        let bankruptcy = try Self.value(quote.bankruptcyPrice)
        #expect(bankruptcy >= (e - s * 50_000) / (-s) - 1e-9)
    }

    // MARK: dydxprotocol/v4-chain protocol/x/clob/keeper/liquidations_test.go TestGetBankruptcyPriceInQuoteQuantums,
    // full-close cases on BtcUsd_20PercentInitial_10PercentMaintenance with 0.1 BTC at the $50,000 test price.
    // dYdX holds USDC (cost included), so the equivalent margin is USDC + s·0.1·50,000 at entry 50,000, and the
    // per-unit bankruptcy price is |expected quote quantums| / 0.1 BTC.

    @Test(
        arguments: [
            // "fully closing one long position that is slightly below maintenance margin requirements":
            // USDC −4,501 → 4,501,000,000 quote quantums ($4,501 for 0.1 BTC).
            (PositionSide.long, "-4501", 4_501.0),
            // "fully closing one short position that is slightly below maintenance margin requirements":
            // USDC 5,499 → −5,499,000,000.
            (.short, "5499", 5_499.0),
            // "fully closing one long position that is at the bankruptcy price": USDC −5,000 → 5,000,000,000.
            (.long, "-5000", 5_000.0),
            // "fully closing one short position that is at the bankruptcy price": USDC 5,000 → −5,000,000,000.
            (.short, "5000", 5_000.0),
        ]
    )
    func dydxBankruptcyFullClose(side: PositionSide, usdc: String, quoteForTenthBTC: Double) throws {
        let s: Int64 = side == .long ? 1 : -1
        let margin = try Money(parsing: usdc).adding(try Money(units: s * 5_000))
        let input = LiquidationPriceInput(
            side: side,
            entryPrice: try Price(units: 50_000),
            size: try Quantity(parsing: "0.1"),
            margin: .wallet(margin)
        )
        let market = try MarketCatalog.market(venue: .dydx, symbol: "BTC-USD")
        let quote = try VenueProfile.dydx.liquidationQuote(input, market: market)
        #expect(try Self.value(quote.bankruptcyPrice) == quoteForTenthBTC * 10)
    }

    // MARK: Bad input

    @Test func badInputNamesTheField() throws {
        let market = try MarketCatalog.market(venue: .binance, symbol: "BTCUSDT")
        func message(_ input: LiquidationPriceInput) -> String? {
            do {
                _ = try VenueProfile.binance.liquidationQuote(input, market: market)
                return nil
            } catch { return error.message }
        }
        #expect(message(try Self.input(.long, entry: "0", size: "1", wallet: "10"))?.contains("entry") == true)
        #expect(message(try Self.input(.long, entry: "100", size: "-1", wallet: "10"))?.contains("size") == true)
        #expect(message(try Self.input(.long, entry: "100", size: "1", wallet: "-10"))?.contains("wallet") == true)
        let tooMuch = LiquidationPriceInput(
            side: .long,
            entryPrice: try Price(parsing: "100"),
            size: try Quantity(parsing: "1"),
            margin: .leverage(try Leverage(units: 150))
        )
        #expect(message(tooMuch)?.contains("leverage 150 exceeds the maximum 125") == true)
        let badRate = try Self.input(
            .long,
            entry: "100",
            size: "1",
            wallet: "10",
            overrides: LiquidationOverrides(maintenanceMarginRate: .one)
        )
        #expect(message(badRate)?.contains("mmr") == true)
        let inverse = try MarketCatalog.market(venue: .bitmex, symbol: "XBTUSD")
        let mixed = try Self.input(
            .long,
            entry: "100",
            size: "1",
            wallet: "10",
            mode: .cross,
            others: [CrossPosition(market: inverse, entryPrice: .one, size: .one, markPrice: .one)]
        )
        #expect(message(mixed)?.contains("positions[0].market XBTUSD") == true)
    }

    /// Cross positions are ignored in isolated mode and move the price in cross mode.
    @Test func crossPositionsOnlyCountInCrossMode() throws {
        let market = try Self.exactMarket()
        let loser = CrossPosition(
            market: market,
            entryPrice: try Price(parsing: "100"),
            size: try Quantity(parsing: "10"),
            markPrice: try Price(parsing: "90")
        )
        let isolated = try Self.input(.long, entry: "100", size: "1", wallet: "20", others: [loser])
        let cross = try Self.input(.long, entry: "100", size: "1", wallet: "20", mode: .cross, others: [loser])
        let alone = try Self.input(.long, entry: "100", size: "1", wallet: "20", mode: .cross)
        let a = try VenueProfile.binance.liquidationQuote(isolated, market: market)
        let b = try VenueProfile.binance.liquidationQuote(cross, market: market)
        let c = try VenueProfile.binance.liquidationQuote(alone, market: market)
        #expect(a.liquidationPrice == c.liquidationPrice)
        // The other position loses 100 and needs 9 maintenance: equity at this position's LP is 109 lower.
        let shift = try Self.value(b.liquidationPrice) - (try Self.value(c.liquidationPrice))
        #expect(abs(shift - 109.0 / 0.99) <= 1e-7)
        #expect(b.isLiquidatableAtEntry && !c.isLiquidatableAtEntry)
    }
}
