import FulcrumCore
import Testing

/// Drift v2 size-premium margin ratio (`calculate_size_premium_liability_weight`, precision 1e4) against the
/// upstream unit tests in drift-labs/protocol-v2 `programs/drift/src/math/margin/tests.rs`.
@Suite("Drift size-premium margin")
struct DriftMarginTests {
    @Test(
        arguments: [
            // spot_market_asset_weight: size 1,000 tokens (1e12 at 1e-9), initial_liability_weight 11,000,
            // imf_factor 10,000 → get_liability_weight = 11,962.
            (Int64(11_000), Int64(10_000), "1000", "1.1962"),
            // same test, imf_factor = SPOT_IMF_PRECISION / 10 = 100,000 → 40,422.
            (11_000, 100_000, "1000", "4.0422"),
            // same test, maintenance liability weight (default 0) with imf_factor 100,000 → 31,622.
            (0, 100_000, "1000", "3.1622"),
            // same test, imf_factor 0 → the base weight 11,000.
            (11_000, 0, "1000", "1.1"),
            // calculate_user_equity_value_tests: margin_ratio_initial 1,000, imf_factor 1,000, short 6.147540983 BTC
            // (6.14754098 at 10⁻⁸) → the base ratio binds: pmr = 13,555,327,867 = liability value × 1,000 / 10⁴.
            (1_000, 1_000, "6.14754098", "0.1"),
        ]
    )
    func upstreamWeights(baseBps: Int64, imfFactor: Int64, size: String, expected: String) throws {
        let ratio = try DriftMargin.marginRatio(
            baseBps: baseBps,
            imfFactor: imfFactor,
            size: try Quantity(parsing: size)
        )
        #expect(ratio.description == expected)
    }

    /// The same position's maintenance margin through the profile: 6.14754098 BTC at $22,050 with the unit-test
    /// market (initial 1,000, imf 1,000) is 10 % of the notional, within the 10⁻⁹ → 10⁻⁸ size truncation of the
    /// upstream $13,555.327867 (calculate_user_equity_value_tests, `pmr`).
    @Test func maintenanceThroughTheProfile() throws {
        var market = try MarketCatalog.market(venue: .drift, symbol: "BTC-PERP")
        market.marginModel = .drift(initialRatioBps: 1_000, maintenanceRatioBps: 1_000, imfFactor: 1_000)
        let margin = try VenueProfile.drift.maintenanceMargin(
            size: try Quantity(parsing: "6.14754098"),
            price: try Price(units: 22_050),
            market: market
        )
        #expect(abs(Double(margin.raw) / 1e8 - 13_555.327867) < 0.001)
    }
}
