import FulcrumCore
import PropertyBased
import Testing

@Suite("Liquidation price properties")
struct LiquidationPricePropertyTests {
    /// (profile, market) pairs spanning every margin model and basis: tiered, fee-in-denominator, entry-value,
    /// Hyperliquid tiers, dYdX, Drift, and two inverse contracts.
    static let cases: [(VenueProfile, MarketSpec)] = [
        (.binance, try! MarketCatalog.market(venue: .binance, symbol: "BTCUSDT")),
        (.okx, try! MarketCatalog.market(venue: .okx, symbol: "BTC")),
        (.bybit, try! MarketCatalog.market(venue: .bybit, symbol: "BTCUSDT")),
        (.hyperliquid, try! MarketCatalog.market(venue: .hyperliquid, symbol: "BTC")),
        (.hyperliquid, try! MarketCatalog.market(venue: .hyperliquid, symbol: "ETH")),
        (.dydx, try! MarketCatalog.market(venue: .dydx, symbol: "ETH")),
        (.drift, try! MarketCatalog.market(venue: .drift, symbol: "SOL")),
        (.bitmex, try! MarketCatalog.market(venue: .bitmex, symbol: "XBTUSD")),
        (.bybit, try! MarketCatalog.market(venue: .bybit, symbol: "BTCUSD")),
    ]

    /// At the solved price equity ≈ requirement (no further from it than one tick either way moves it), one
    /// tick on the safe side is not liquidatable and one tick beyond is (the trigger really is crossed there).
    @Test func rootSeparatesSafeFromLiquidatable() async {
        await propertyCheck(
            count: 400,
            input: Gen.int(in: 0...(Self.cases.count - 1)),
            Gen.int64(in: 100...100_000),
            Gen.int64(in: 1...10_000),
            Gen.int64(in: 1...20),
            Gen.bool()
        ) { caseIndex, entryUnits, sizeSteps, leverage, isLong in
            let (venue, market) = Self.cases[caseIndex]
            let entry = try Price(units: entryUnits)
            let size =
                market.kind == .inverse
                ? try market.stepSize.times(sizeSteps)
                : try Quantity(parsing: "0.01").times(sizeSteps)
            let input = LiquidationPriceInput(
                side: isLong ? .long : .short,
                entryPrice: entry,
                size: size,
                margin: .leverage(try Leverage(units: leverage))
            )
            let quote = try venue.liquidationQuote(input, market: market)
            guard let root = quote.unroundedLiquidationPrice else {
                // "None" only where it is real: a long's bankruptcy-side root at or below 0, or an inverse 1x short.
                #expect(isLong || market.kind == .inverse)
                return
            }
            let delta = Price.maximum(market.tickSize, try Price(parsing: "0.01"))
            let safe = isLong ? root + delta : root - delta
            let beyond = isLong ? root - delta : root + delta
            let atRoot = try venue.liquidationCheck(input, market: market, at: root)
            if safe.isPositive {
                let check = try venue.liquidationCheck(input, market: market, at: safe)
                #expect(!check.isLiquidatable, "\(venue.id) \(market.symbol) safe side \(safe) liquidatable")
                let swing = (check.equity - check.requirement).magnitude
                #expect((atRoot.equity - atRoot.requirement).magnitude <= swing + Money(raw: 4))
            }
            if beyond.isPositive {
                let check = try venue.liquidationCheck(input, market: market, at: beyond)
                #expect(check.isLiquidatable, "\(venue.id) \(market.symbol) beyond \(beyond) not liquidatable")
            }
            // The tick-rounded price is on the conservative side of the root.
            if let shown = quote.liquidationPrice {
                #expect(isLong ? shown >= root : shown <= root)
                #expect((shown - root).magnitude < market.tickSize || market.tickSize.raw == 1)
            }
            // Bankruptcy lies beyond liquidation (maintenance is non-negative).
            if let bankruptcy = quote.bankruptcyPrice, let shown = quote.liquidationPrice {
                #expect(isLong ? bankruptcy <= shown : bankruptcy >= shown)
            }
        }
    }

    /// More margin never brings the liquidation price closer (same position, same venue).
    @Test func moreMarginIsNeverWorse() async {
        let market = try! MarketCatalog.market(venue: .binance, symbol: "BTCUSDT")
        await propertyCheck(
            input: Gen.int64(in: 1_000...90_000),
            Gen.int64(in: 1...5_000),
            Gen.int64(in: 1...1_000_000),
            Gen.bool()
        ) { entryUnits, sizeCents, walletUnits, isLong in
            func lp(_ wallet: Int64) throws -> Price? {
                let input = LiquidationPriceInput(
                    side: isLong ? .long : .short,
                    entryPrice: try Price(units: entryUnits),
                    size: try Quantity(parsing: "0.01").times(sizeCents),
                    margin: .wallet(try Money(units: wallet))
                )
                return try VenueProfile.binance.liquidationQuote(input, market: market).liquidationPrice
            }
            let less = try lp(walletUnits)
            let more = try lp(walletUnits + 1_000)
            switch (less, more, isLong) {
            case (let a?, let b?, true): #expect(b <= a)
            case (let a?, let b?, false): #expect(b >= a)
            case (nil, _?, _): Issue.record("more margin produced a liquidation price where less had none")
            default: break
            }
        }
    }
}
