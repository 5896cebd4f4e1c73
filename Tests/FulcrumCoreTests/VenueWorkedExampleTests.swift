import FulcrumCore
import Testing

/// Venue help-centre worked examples not covered by `LiquidationPriceTests`, each cited beside its case.
@Suite("Venue worked examples")
struct VenueWorkedExampleTests {
    /// Bybit "Liquidation Price Calculation under Isolated Mode (Unified Trading Account)", inverse example
    /// (https://testnet.bybit.com/ar-SA/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account):
    /// 60,000 USD of BTCUSD at 50,000 with 10x and MMR 0.5 %: position value 1.2 BTC, IM 0.12 BTC, MM 0.006 BTC;
    /// `LP(long) = Qty / [PV + (IM − MM)]` = 60,000 / 1.314 and `LP(short) = Qty / [PV − (IM − MM)]` = 60,000 / 1.086.
    /// (The page's closing-fee term is outside the classic formula the profile follows; the page notes it.)
    @Test(arguments: [(PositionSide.long, 60_000.0 / 1.314), (.short, 60_000.0 / 1.086)])
    func bybitInverseIsolated(side: PositionSide, expected: Double) throws {
        let market = try MarketCatalog.market(venue: .bybit, symbol: "BTCUSD")
        let input = LiquidationPriceInput(
            side: side,
            entryPrice: try Price(units: 50_000),
            size: try Quantity(units: 60_000),
            margin: .leverage(try Leverage(units: 10))
        )
        let quote = try VenueProfile.bybit.liquidationQuote(input, market: market)
        #expect(quote.margin.description == "0.12")
        #expect(quote.maintenanceMargin.description == "0.006")
        let price = try #require(quote.liquidationPrice)
        let got = Double(price.raw) / 1e8
        // Rounded to the 0.5 tick on the trader's conservative side: a long up, a short down.
        if side == .long {
            #expect(got >= expected && got - expected < 0.5)
        } else {
            #expect(got <= expected && expected - got < 0.5)
        }
    }
}
