import FulcrumCore
import Testing

@Suite("Venue profiles and market catalog")
struct MarketCatalogTests {
    static let allMarkets: [(VenueID, MarketSpec)] = VenueID.allCases.flatMap { venue in
        MarketCatalog.markets(venue: venue).map { (venue, $0) }
    }

    /// Every shipped table re-validates (continuity recurrence, monotone rates and leverages) and says where it
    /// comes from; unsourced ones say so explicitly.
    @Test func everyTableValidatesAndIsSourced() throws {
        #expect(Self.allMarkets.count >= 15)
        for (venue, market) in Self.allMarkets {
            let rebuilt =
                switch market.tiers.bound {
                case .notional: try MarginTierTable(tiers: market.tiers.tiers)
                case .baseQuantity: try MarginTierTable(sizeTiers: market.tiers.sizeTiers)
                }
            #expect(rebuilt == market.tiers, "\(venue) \(market.symbol)")
            #expect(!market.tierSource.isEmpty)
            #expect(market.tierSource.contains("20"), "\(venue) \(market.symbol) source must carry a date")
            #expect(market.tickSize.isPositive && market.stepSize.isPositive)
            if market.kind == .inverse { #expect(market.contractValue.isPositive) }
        }
    }

    @Test func everyVenueHasBTCAndETH() throws {
        for venue in VenueID.allCases {
            let btc = try MarketCatalog.market(venue: venue, symbol: "BTC")
            let eth = try MarketCatalog.market(venue: venue, symbol: "eth")
            #expect(btc.symbol.uppercased().contains("BT"))  // BTC or XBT
            #expect(eth.symbol.uppercased().contains("ETH"))
        }
        #expect(try MarketCatalog.market(venue: .okx, symbol: "BTC").symbol == "BTC-USDT-SWAP")
        #expect(try MarketCatalog.market(venue: .bitmex, symbol: "BTC").kind == .inverse)
        #expect(try MarketCatalog.market(venue: .bybit, symbol: "BTCUSD").kind == .inverse)
        #expect(try MarketCatalog.market(venue: .drift, symbol: "SOL").symbol == "SOL-PERP")
    }

    /// perps.md §1.3 (freqtrade binance_leverage_tiers.json, BTC/USDT:USDT): brackets 1–8 as published.
    @Test func binanceBTCUSDTMatchesPublishedCum() throws {
        let table = try MarketCatalog.market(venue: .binance, symbol: "BTCUSDT").tiers
        let cums = table.tiers.prefix(8).map(\.maintenanceDeduction.description)
        #expect(cums == ["0", "50", "950", "11450", "131450", "481450", "2981450", "14481450"])
        #expect(table.tiers[0].maxLeverage.description == "125")
    }

    /// freqtrade binance_leverage_tiers.json ETH/USDT:USDT @ 01d10aeb…: all 12 published cum values validate.
    @Test func binanceETHUSDTMatchesPublishedCum() throws {
        let table = try MarketCatalog.market(venue: .binance, symbol: "ETHUSDT").tiers
        #expect(table.tiers.count == 12)
        #expect(table.tiers.last?.maintenanceDeduction.description == "280506450")
        #expect(table.tierIndex(forNotional: try Money(units: 60_000_000)) == 5)
    }

    /// https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers: BTC 40x → MMR 1.25 %, 20x above 150M.
    @Test func hyperliquidRatesAreHalfTheInitial() throws {
        let btc = try MarketCatalog.market(venue: .hyperliquid, symbol: "BTC").tiers.tiers
        #expect(btc.map(\.maintenanceMarginRate.description) == ["0.0125", "0.025"])
        #expect(btc[1].maintenanceDeduction.description == "1875000")  // 150M × (2.5 % − 1.25 %)
        let eth = try MarketCatalog.market(venue: .hyperliquid, symbol: "ETH").tiers.tiers
        #expect(eth[1].maintenanceMarginRate.description == "0.03333334")  // 1/30 rounded up
    }

    @Test func unknownNamesAreErrorsListingValidOnes() {
        do {
            _ = try VenueProfile.named("kraken")
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "venue")
            #expect(error.description.contains("kraken"))
            #expect(error.description.contains("hyperliquid"))
        }
        do {
            _ = try MarketCatalog.market(venue: .binance, symbol: "DOGEUSDT")
            Issue.record("expected an error")
        } catch {
            #expect(error.field == "market")
            #expect(error.validNames.contains("BTCUSDT"))
        }
    }

    @Test(arguments: VenueID.allCases)
    func namedProfilesRoundTrip(venue: VenueID) throws {
        let profile = try VenueProfile.named(venue.rawValue.uppercased())
        #expect(profile.id == venue)
        #expect(!profile.sources.isEmpty)
    }

    @Test func venueRulesFollowTheReference() throws {
        #expect(VenueProfile.bybit.maintenanceBasis == .entryValue)
        #expect(VenueProfile.okx.closingFeeRate.isPositive)
        #expect(VenueProfile.dydx.liquidationTrigger == .oraclePrice)
        #expect(VenueProfile.drift.autoDeleveraging.ranking == .socializeProRata)
        #expect(VenueProfile.hyperliquid.autoDeleveraging.price == .oracle)
        #expect(VenueProfile.okx.autoDeleveraging.price == .mark)
        #expect(VenueProfile.binance.autoDeleveraging.price == .bankruptcy)
        let custom = VenueProfile.generic(closingFeeRate: try Rate(parsing: "0.001"))
        #expect(custom.id == .generic && custom.closingFeeRate.description == "0.001")
    }

    /// The market-level model overrides the venue's: dYdX Large-Cap MM = ceil(ceil(N·2 %)·60 %) = 1.2 %.
    @Test func marketMarginModelApplies() throws {
        let market = try MarketCatalog.market(venue: .dydx, symbol: "BTC-USD")
        let mm = try VenueProfile.dydx.maintenanceMargin(
            size: try Quantity(parsing: "1"),
            price: try Price(parsing: "50000"),
            market: market
        )
        #expect(mm.description == "600")
    }
}
