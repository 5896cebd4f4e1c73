import FulcrumCore
import Testing

/// dYdX v4 fillable price and insurance-fund delta against the upstream keeper tests. The fixture market is
/// `constants.BtcUsd_20PercentInitial_10PercentMaintenance` (MM = 10 % of notional) at the test oracle price
/// $50,000 (ETH $3,000); `QuoteBalance_OneDollar` = 10⁶ quote quantums.
@Suite("dYdX liquidation math")
struct DydxLiquidationTests {
    static func money(_ text: String) -> Money { try! Money(parsing: text) }

    // MARK: dydxprotocol/v4-chain protocol/x/clob/keeper/liquidations_test.go TestGetFillablePrice.
    // Inputs: side, size, oracle, PMMR, TNC (= USDC + position value), TMMR, BA ppm, SMMR ppm; expected price.

    @Test(
        arguments: [
            // "one long position that is slightly below maintenance margin requirements": USDC −4,501, 0.1 BTC
            // long → TNC 499, MM 500 → big.NewRat(49_999, 100) subticks = $49,999.
            (PositionSide.long, "0.1", "50000", "500", "499", "500", Int64(1_000_000), Int64(100_000), "49999"),
            // "... one long position when bankruptcyAdjustmentPpm is 2_000_000" → $49,998.
            (.long, "0.1", "50000", "500", "499", "500", 2_000_000, 100_000, "49998"),
            // "... one long position when spreadToMaintenanceMarginRatioPpm is 200_000" → $49,998.
            (.long, "0.1", "50000", "500", "499", "500", 1_000_000, 200_000, "49998"),
            // "one short position that is slightly below maintenance margin requirements": USDC 5,499 → $50,001.
            (.short, "0.1", "50000", "500", "499", "500", 1_000_000, 100_000, "50001"),
            // "... one short position when bankruptcyAdjustmentPpm is 2_000_000" → $50,002.
            (.short, "0.1", "50000", "500", "499", "500", 2_000_000, 100_000, "50002"),
            // "... one short position when SpreadToMaintenanceMarginRatioPpm is 200_000" → $50,002.
            (.short, "0.1", "50000", "500", "499", "500", 1_000_000, 200_000, "50002"),
            // "one long position at the bankruptcy price": USDC −5,000 → TNC 0 → big.NewRat(495, 1) = $49,500.
            (.long, "0.1", "50000", "500", "0", "500", 1_000_000, 100_000, "49500"),
            // "one short position at the bankruptcy price": USDC 5,000 → $50,500.
            (.short, "0.1", "50000", "500", "0", "500", 1_000_000, 100_000, "50500"),
            // "one long position below the bankruptcy price": USDC −5,500 → TNC −500, ABR clamped to 1 → $49,500.
            (.long, "0.1", "50000", "500", "-500", "500", 1_000_000, 100_000, "49500"),
            // "one short position below the bankruptcy price": USDC 4,500 → $50,500.
            (.short, "0.1", "50000", "500", "-500", "500", 1_000_000, 100_000, "50500"),
            // "multiple long positions": 0.004 BTC + 0.1 ETH long, USDC −490 → TNC 10, TMMR 50, ETH PMMR 30
            // → big.NewRat(372, 125) = $2,976.
            (.long, "0.1", "3000", "30", "10", "50", 1_000_000, 100_000, "2976"),
            // "when bankruptcyAdjustmentPpm is max uint32" → $49,500 (ABR clamped to 1).
            (.long, "0.1", "50000", "500", "499", "500", 4_294_967_295, 100_000, "49500"),
            // "when SpreadTomaintenanceMarginRatioPpm is 1" → big.NewRat(4_999_999_999, 10_000_000) = $49,999.99999.
            (.long, "0.1", "50000", "500", "499", "500", 1_000_000, 1, "49999.99999"),
            // "when SpreadTomaintenanceMarginRatioPpm is one million" → big.NewRat(49_990, 100) = $49,990.
            (.long, "0.1", "50000", "500", "499", "500", 1_000_000, 1_000_000, "49990"),
        ]
    )
    func fillablePrice(
        side: PositionSide,
        size: String,
        oracle: String,
        pmmr: String,
        tnc: String,
        tmmr: String,
        bankruptcyAdjustmentPpm: Int64,
        spreadPpm: Int64,
        expected: String
    ) throws {
        let price = try DydxLiquidation.fillablePrice(
            side: side,
            size: try Quantity(parsing: size),
            oraclePrice: try Price(parsing: oracle),
            positionMaintenance: Self.money(pmmr),
            totalNetCollateral: Self.money(tnc),
            totalMaintenance: Self.money(tmmr),
            bankruptcyAdjustmentPpm: bankruptcyAdjustmentPpm,
            spreadToMaintenanceMarginRatioPpm: spreadPpm
        )
        #expect(price == (try Price(parsing: expected)))
    }

    /// A non-terminating rational is rounded against the liquidated account: long down, short up.
    @Test func fillablePriceRoundsAgainstTheAccount() throws {
        // ABR = 1 − 1/3 = 2/3; move = 2/3 · 10 % · 1 / 1 = 0.0666…
        func price(_ side: PositionSide) throws -> Price {
            try DydxLiquidation.fillablePrice(
                side: side,
                size: .one,
                oraclePrice: try Price(units: 100),
                positionMaintenance: .one,
                totalNetCollateral: .one,
                totalMaintenance: try Money(units: 3)
            )
        }
        #expect(try price(.long).description == "99.93333333")
        #expect(try price(.short).description == "100.06666667")
        #expect(throws: ArithmeticError.self) {
            _ = try DydxLiquidation.fillablePrice(
                side: .long,
                size: .one,
                oraclePrice: .one,
                positionMaintenance: .one,
                totalNetCollateral: .one,
                totalMaintenance: .zero
            )
        }
    }

    // MARK: dydxprotocol/v4-chain protocol/x/clob/keeper/liquidations_test.go TestGetLiquidationInsuranceFundDelta:
    // 0.1 BTC closed; long USDC −5,100 → bankruptcy value $5,100; short USDC 4,900 → $4,900. Subticks 56_100_000_000
    // for 0.1 BTC = $56,100 per BTC. Expected quote quantums ÷ 10⁶ = dollars.

    @Test(
        arguments: [
            // "Fully closing one long position above the bankruptcy price and pays max liquidation fee" → 28_050_000.
            (PositionSide.long, "56100", "5100", Int64(5_000), "28.05"),
            // "... long ... pays max liquidation fee when MaxLiquidationFeePpm is 25_000" → 140_250_000.
            (.long, "56100", "5100", 25_000, "140.25"),
            // "... long ... pays less than max liquidation fee when MaxLiquidationFeePpm is one million" → 510_000_000.
            (.long, "56100", "5100", 1_000_000, "510"),
            // "Fully closing one short position above the bankruptcy price and pays max liquidation fee" → 22_050_000.
            (.short, "44100", "4900", 5_000, "22.05"),
            // "... short ... when MaxLiquidationFeePpm is 25_000" → 110_250_000.
            (.short, "44100", "4900", 25_000, "110.25"),
            // "... short ... when MaxLiquidationFeePpm is one million" → 490_000_000.
            (.short, "44100", "4900", 1_000_000, "490"),
            // "Fully closing one long position above the bankruptcy price and pays less than max liquidation fee"
            // (0.1 % above) → 5_100_000.
            (.long, "51051", "5100", 5_000, "5.1"),
            // "Fully closing one short position ... pays less than max liquidation fee" → 4_900_000.
            (.short, "48951", "4900", 5_000, "4.9"),
            // "Fully closing one long position at the bankruptcy price and the delta is 0" → 0.
            (.long, "51000", "5100", 5_000, "0"),
            // "Fully closing one short position above the bankruptcy price and the delta is 0" → 0.
            (.short, "49000", "4900", 5_000, "0"),
            // "Fully closing one long position below the bankruptcy price and the insurance fund must cover the
            // loss" → −51_000_000.
            (.long, "50490", "5100", 5_000, "-51"),
            // "If fully closing one short position below the bankruptcy price the insurance fund must cover the
            // loss" → −49_000_000.
            (.short, "49490", "4900", 5_000, "-49"),
        ]
    )
    func insuranceFundDelta(
        side: PositionSide,
        fill: String,
        bankruptcyValue: String,
        feePpm: Int64,
        expected: String
    ) throws {
        let delta = try DydxLiquidation.insuranceFundDelta(
            side: side,
            closedSize: try Quantity(parsing: "0.1"),
            fillPrice: try Price(parsing: fill),
            bankruptcyValue: Self.money(bankruptcyValue),
            maxLiquidationFeePpm: feePpm
        )
        #expect(delta == Self.money(expected))
    }
}
