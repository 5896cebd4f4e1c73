import FulcrumCore
import Testing

/// Funding caps and insurance-fund scopes pinned to the published rules they come from.
@Suite("Venue funding caps and insurance-fund scopes")
struct VenueFundingCapSourceTests {
    static func cap(_ profile: VenueProfile) -> Rate? {
        switch profile.funding.formula {
        case .premiumPlusClampedInterest(_, _, let cap): cap
        case .clampedPremium(let cap): cap
        case .twapSpread: nil
        }
    }

    /// BitMEX: |F| ≤ 75 % × (Initial Margin − Maintenance Margin)
    /// (blog.bitmex.com/site_announcement/reduction-in-base-maintenance-margin-xbt-and-eth-series-17-april-2020-2/).
    /// XBTUSD base IM 1 % (100x) and MM 0.5 % (the catalog's first tier): 0.75 × (1 % − 0.5 %) = 0.375 % per 8 h, i.e.
    /// 3 × 0.375 % = 1.125 % per day, the "+/- 1.125% per day" of blog.bitmex.com/important-changes-to-bitcoin-usd-swap-funding.
    @Test func bitmexCapIsThreeQuartersOfTheMarginGap() throws {
        let tier = try MarketCatalog.market(venue: .bitmex, symbol: "XBTUSD").tiers.tiers[0]
        let initial = try Rate.reciprocal(of: tier.maxLeverage, rounding: .up)
        let gap = initial - tier.maintenanceMarginRate
        let expected = try gap.times(try Rate(parsing: "0.75"), rounding: .towardZero)
        #expect(Self.cap(.bitmex) == expected)
        #expect(expected.description == "0.00375")
        #expect((try expected.times(try Rate(units: 3), rounding: .towardZero)).description == "0.01125")
        #expect(VenueProfile.bitmex.insuranceFundScope == .shared)
        #expect(VenueProfile.bitmex.sources.contains { $0.contains("the-101-on-our-eth-margined-contracts") })
    }

    /// Binance: |F| ≤ 0.75 × MMR of the highest-leverage bracket (default multiplier 0.75, Binance OMGUSDT
    /// announcement of 2021-11-11 restated at mobie.io/?p=8304); BTCUSDT and ETHUSDT bracket 1 (125x, 0.4 %): 0.3 %,
    /// equal to 75 % × (IMR − MMR) = 0.75 × (0.8 % − 0.4 %). BTCUSDT and ETHUSDT have their own insurance fund
    /// (binance.com/en/support/articles/360033525371-Insurance-Fund).
    @Test func binanceCapIsThreeQuartersOfTheFirstBracketRate() throws {
        for symbol in ["BTCUSDT", "ETHUSDT"] {
            let tier = try MarketCatalog.market(venue: .binance, symbol: symbol).tiers.tiers[0]
            let byRate = try tier.maintenanceMarginRate.times(try Rate(parsing: "0.75"), rounding: .towardZero)
            let initial = try Rate.reciprocal(of: tier.maxLeverage, rounding: .up)
            let byGap = try (initial - tier.maintenanceMarginRate).times(
                try Rate(parsing: "0.75"),
                rounding: .towardZero
            )
            #expect(Self.cap(.binance) == byRate, "\(symbol)")
            #expect(byRate == byGap, "\(symbol)")
        }
        #expect(VenueProfile.binance.insuranceFundScope == .perMarket)
        #expect(VenueProfile.binance.sources.contains { $0.contains("360033525371") })
        #expect(VenueProfile.binance.sources.contains { $0.hasPrefix("funding cap 0.3 %") && $0.contains("PARTIAL") })
    }

    /// Bybit's BTCUSDT/ETHUSDT caps and fund scope were not found: the profile must still say so.
    @Test func bybitCapStaysMarkedUnverified() {
        #expect(VenueProfile.bybit.sources.contains { $0.contains("UNVERIFIED") && $0.contains("funding cap") })
    }
}
