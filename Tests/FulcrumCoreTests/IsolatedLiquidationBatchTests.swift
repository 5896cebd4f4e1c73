import FulcrumCore
import PropertyBased
import Testing

@Suite("Isolated liquidation batch")
struct IsolatedLiquidationBatchTests {
    /// Every catalog market of every venue (fast kernels and scalar fallbacks), plus override configurations.
    static let cases: [(VenueProfile, MarketSpec, LiquidationOverrides)] = {
        var cases: [(VenueProfile, MarketSpec, LiquidationOverrides)] = []
        for id in VenueID.allCases {
            for market in MarketCatalog.markets(venue: id) {
                cases.append((VenueProfile.profile(for: id), market, .none))
            }
        }
        let btc = try! MarketCatalog.market(venue: .binance, symbol: "BTCUSDT")
        cases.append((.binance, btc, LiquidationOverrides(maintenanceMarginRate: try! Rate(parsing: "0.01"))))
        cases.append((.okx, btc, LiquidationOverrides(takerFee: try! Rate(parsing: "0.0006"))))
        cases.append((.hyperliquid, btc, LiquidationOverrides(maxLeverage: try! Leverage(units: 20))))
        cases.append((.binance, btc, LiquidationOverrides(maintenanceDeduction: try! Money(parsing: "50"))))
        // 10⁻⁸ ticks expose the 10⁻⁸ rounding itself (a coarse tick can absorb it).
        for venue in [VenueProfile.binance, .okx, .bybit, .hyperliquid, .dydx] {
            var fine = MarketCatalog.markets(venue: venue.id)[0]
            fine.tickSize = Price(raw: 1)
            cases.append((venue, fine, .none))
        }
        // Ticks that do not divide 10⁸ (two-division path) and a very coarse tick (128-bit division path).
        for tickRaw: Int64 in [3_000_000, 1_000_000_000_000] {
            var odd = btc
            odd.tickSize = Price(raw: tickRaw)
            cases.append((.binance, odd, .none))
            cases.append((.bybit, odd, .none))
        }
        return cases
    }()

    /// Batch output equals ``VenueProfile/liquidationQuote(_:market:)`` element by element, for random books.
    @Test func equalsScalarQuotePerElement() async {
        await propertyCheck(
            count: 300,
            input: Gen.int(in: 0...(Self.cases.count - 1)),
            Gen.int64(in: 1...1_000_000_000).array(of: 16),
            Gen.int64(in: 1...5_000_000).array(of: 16),
            Gen.int64(in: 0...2_000).array(of: 16),
            Gen.bool().array(of: 16)
        ) { caseIndex, entryCents, sizeMilli, marginPerMille, longs in
            let (venue, market, overrides) = Self.cases[caseIndex]
            let sides = longs.map { $0 ? PositionSide.long : .short }
            let entries = entryCents.map { Price(raw: $0 * 1_000_000) }  // 0.01 … 10,000,000
            let sizes: [Quantity] =
                market.kind == .inverse
                ? sizeMilli.map { Quantity(raw: $0 * 100_000_000) }  // whole contracts
                : sizeMilli.map { Quantity(raw: $0 * 100_000) }  // 0.001 … 5,000
            // Margin between 0 and 200 % of the entry notional.
            var margins: [Money] = []
            for index in sides.indices {
                let notional = try venue.marginNotional(size: sizes[index], price: entries[index], market: market)
                margins.append(try notional.times(Rate(raw: marginPerMille[index] * 100_000), rounding: .down))
            }
            let batch = try IsolatedLiquidationBatch(venue: venue, market: market, overrides: overrides)
            let got = try batch.liquidationPrices(sides: sides, entries: entries, sizes: sizes, margins: margins)
            for index in sides.indices {
                let input = LiquidationPriceInput(
                    side: sides[index],
                    entryPrice: entries[index],
                    size: sizes[index],
                    margin: .wallet(margins[index]),
                    overrides: overrides
                )
                let expected = try venue.liquidationQuote(input, market: market).liquidationPrice
                #expect(
                    got[index] == expected,
                    "\(venue.id) \(market.symbol) #\(index) \(input.side) \(input.entryPrice) × \(input.size) margin \(margins[index])"
                )
            }
        }
    }

    /// Tiny sizes make the division by size exact, so the exactness of the division by `|d|·tick` decides the
    /// rounding alone (ticks that do not divide 10⁸ and a coarse tick exercise the slower division paths).
    @Test(arguments: [Int64(3_000_000), 1_000_000_000_000, 10_000_000])
    func tinySizesMatchScalar(tickRaw: Int64) throws {
        var market = try MarketCatalog.market(venue: .binance, symbol: "BTCUSDT")
        market.tickSize = Price(raw: tickRaw)
        var sides: [PositionSide] = []
        var entries: [Price] = []
        var sizes: [Quantity] = []
        var margins: [Money] = []
        for index in 0..<200 {
            sides.append(index % 2 == 0 ? .long : .short)
            entries.append(Price(raw: 4_000_000_000_000 + Int64(index) * 777_777_777))
            sizes.append(Quantity(raw: Int64(1 + index % 3)))
            margins.append(Money(raw: Int64(index * 13 % 400)))
        }
        for venue in [VenueProfile.binance, .bybit] {
            let batch = try IsolatedLiquidationBatch(venue: venue, market: market)
            let got = try batch.liquidationPrices(sides: sides, entries: entries, sizes: sizes, margins: margins)
            for index in sides.indices {
                let input = LiquidationPriceInput(
                    side: sides[index],
                    entryPrice: entries[index],
                    size: sizes[index],
                    margin: .wallet(margins[index])
                )
                let expected = try venue.liquidationQuote(input, market: market).liquidationPrice
                #expect(got[index] == expected, "\(venue.id) tick \(tickRaw) #\(index)")
            }
        }
    }

    /// The chunked concurrent solve equals the sequential one for every task count (determinism), and a bad element
    /// is reported with its index in the whole batch.
    @Test(arguments: [1, 2, 3, 7, 64])
    func concurrentEqualsSequential(taskCount: Int) async throws {
        let market = try MarketCatalog.market(venue: .okx, symbol: "BTC")
        var sides: [PositionSide] = []
        var entries: [Price] = []
        var sizes: [Quantity] = []
        var margins: [Money] = []
        for index in 0..<1_001 {
            sides.append(index % 3 == 0 ? .short : .long)
            entries.append(Price(raw: 3_000_000_000_000 + Int64(index) * 123_456_789))
            sizes.append(Quantity(raw: 1_000_000 + Int64(index) * 977))
            margins.append(Money(raw: 100_000_000 + Int64(index) * 55_555_555))
        }
        let batch = try IsolatedLiquidationBatch(venue: .okx, market: market)
        var sequential: [Price] = []
        try batch.liquidationPrices(sides: sides, entries: entries, sizes: sizes, margins: margins, into: &sequential)
        let concurrent = try await batch.liquidationPrices(
            sides: sides,
            entries: entries,
            sizes: sizes,
            margins: margins,
            taskCount: taskCount
        )
        #expect(concurrent == sequential)
        var bad = margins
        bad[700] = Money(raw: -1)
        do {
            _ = try await batch.liquidationPrices(
                sides: sides,
                entries: entries,
                sizes: sizes,
                margins: bad,
                taskCount: taskCount
            )
            Issue.record("a negative margin was accepted")
        } catch {
            #expect(error.message.contains("margins[700]"))
        }
    }

    /// The fast kernel reproduces a published example: freqtrade tests/exchange/test_binance.py
    /// test_liquidation_price_binance row 1 (ETH isolated, wallet 1,535,443.01, mmr 10 %, cum 135,365) → 1114.78
    /// (rounded to 2 decimals in the source).
    @Test func publishedBinanceRow() throws {
        let market = MarketSpec(
            symbol: "TEST",
            tickSize: Price(raw: 1),
            stepSize: Quantity(raw: 1),
            tiers: try MarginTierTable(tiers: [
                MarginTier(
                    notionalFloor: .zero,
                    notionalCap: nil,
                    maxLeverage: try Leverage(units: 100),
                    maintenanceMarginRate: try Rate(parsing: "0.01"),
                    maintenanceDeduction: .zero
                )
            ]),
            tierSource: "test fixture 2026-11-21"
        )
        let overrides = LiquidationOverrides(
            maintenanceMarginRate: try Rate(parsing: "0.10"),
            maintenanceDeduction: try Money(parsing: "135365")
        )
        let batch = try IsolatedLiquidationBatch(venue: .binance, market: market, overrides: overrides)
        let prices = try batch.liquidationPrices(
            sides: [.long],
            entries: [try Price(parsing: "1456.84")],
            sizes: [try Quantity(parsing: "3683.979")],
            margins: [try Money(parsing: "1535443.01")]
        )
        let price = try #require(prices[0])
        #expect(abs(Double(price.raw) / 1e8 - 1114.78) <= 0.005)
    }

    /// A bad element names its array and index, and the output is left unchanged.
    @Test func badInputNamesTheElementAndChangesNothing() throws {
        let market = try MarketCatalog.market(venue: .binance, symbol: "BTCUSDT")
        let batch = try IsolatedLiquidationBatch(venue: .binance, market: market)
        var output = [Price(raw: 7), Price(raw: 8)]
        let sides: [PositionSide] = [.long, .short]
        let entries = [try Price(units: 50_000), try Price(units: 50_000)]
        let sizes = [Quantity.one, Quantity.one]
        #expect(throws: ArithmeticError.self) {
            try batch.liquidationPrices(
                sides: sides,
                entries: entries,
                sizes: sizes,
                margins: [try Money(units: 1_000), try Money(units: -1)],
                into: &output
            )
        }
        #expect(output == [Price(raw: 7), Price(raw: 8)])
        do {
            try batch.liquidationPrices(
                sides: sides,
                entries: [entries[0], .zero],
                sizes: sizes,
                margins: [.one, .one],
                into: &output
            )
            Issue.record("a zero entry was accepted")
        } catch {
            #expect(error.message.contains("entries[1]"))
        }
        #expect(throws: ArithmeticError.self) {
            try batch.liquidationPrices(sides: sides, entries: entries, sizes: [.one], margins: [.one], into: &output)
        }
        #expect(throws: ArithmeticError.self) {
            _ = try IsolatedLiquidationBatch(
                venue: .binance,
                market: market,
                overrides: LiquidationOverrides(maintenanceMarginRate: .one)
            )
        }
    }
}
