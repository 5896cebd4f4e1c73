import FulcrumCore
import Testing

/// Drift v2 liquidation arithmetic against drift-labs/protocol-v2 `programs/drift/src/math/liquidation/tests.rs`.
@Suite("Drift liquidation math")
struct DriftLiquidationTests {
    // mod calculate_base_asset_amount_to_cover_margin_shortage: $10 shortage, margin ratio 10 % (MARGIN_PRECISION/10),
    // oracle $100. Expected base at 1e-9, truncated to our 1e-8.
    @Test(
        arguments: [
            // zero_percent_liquidation_fee → BASE_PRECISION (1 base).
            ("0", "0", "1"),
            // one_percent_liquidation_fee → BASE_PRECISION · 10 / 9 = 1.111111111 base.
            ("0.01", "0", "1.11111111"),
            // one_percent_liquidation_fee_and_one_percent_if_liquidation_fee → 1,250,000,000 = 1.25 base.
            ("0.01", "0.01", "1.25"),
        ]
    )
    func baseToCover(liquidatorFee: String, insuranceFee: String, expected: String) throws {
        let base = try DriftLiquidation.baseToCoverMarginShortage(
            shortage: try Money(units: 10),
            marginRatio: try Rate(parsing: "0.1"),
            liquidatorFee: try Rate(parsing: liquidatorFee),
            insuranceFee: try Rate(parsing: insuranceFee),
            oraclePrice: try Price(units: 100)
        )
        #expect(base?.description == expected)
    }

    /// Fees that eat the whole freed margin: no amount covers the shortage (the program returns `u64::MAX`).
    @Test func feesAtOrAboveTheMarginRatioHaveNoCover() throws {
        let base = try DriftLiquidation.baseToCoverMarginShortage(
            shortage: try Money(units: 10),
            marginRatio: try Rate(parsing: "0.02"),
            liquidatorFee: try Rate(parsing: "0.01"),
            insuranceFee: try Rate(parsing: "0.01"),
            oraclePrice: try Price(units: 100)
        )
        #expect(base == nil)
    }

    /// mod calculate_funding_rate_deltas_to_resolve_bankruptcy, total_base_asset_amount_not_zero: loss $100 over
    /// 7 long + 4 short base → cumulative funding delta 9,090,910,000 (FUNDING_RATE_PRECISION 1e9 = $9.09091 per base,
    /// `div_ceil` at 1e-6). Ours is the same ceiling at 1e-8; total_base_asset_amount_is_zero errors.
    @Test func socializedLoss() throws {
        let perUnit = try DriftLiquidation.socializedLossPerUnit(
            loss: try Money(units: -100),
            longOpenInterest: try Quantity(units: 7),
            shortOpenInterest: try Quantity(units: -4)
        )
        #expect(perUnit.description == "9.0909091")  // ⌈100/11⌉ at 10⁻⁸ = 9.09090910
        #expect(perUnit <= (try Price(parsing: "9.09091")))  // never above the program's coarser ceiling
        #expect(throws: ArithmeticError.self) {
            _ = try DriftLiquidation.socializedLossPerUnit(
                loss: .one,
                longOpenInterest: .zero,
                shortOpenInterest: .zero
            )
        }
    }
}
