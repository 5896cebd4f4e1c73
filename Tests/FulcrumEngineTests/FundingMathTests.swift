import FulcrumCore
import FulcrumEngine
import Testing

@Suite("Funding math")
struct FundingMathTests {
    /// dydxprotocol/v4-chain protocol/x/perpetuals/lib/lib_test.go, TestGetSettlementPpmWithPerpetual:
    /// settlement = −(fundingIndexNow − positionIndex) · quantums. Index values are read as raw price units
    /// and quantums as whole base units, so our raw payment equals dYdX's expected settlement number.
    @Test(arguments: [
        (Int64(4_000_000_000), Int64(4_000_000_000), Int64(1_000_000), Int64(0)),  // zero indexDelta
        (123_456_789_123, 100_000_000_000, 1_000_000, -23_456_789_123_000_000),  // positive delta, positive q
        (123_456_789_123, 100_000_000_000, -1_000_000, 23_456_789_123_000_000),  // positive delta, negative q
        (-123_456_789_123, -100_000_000_000, 1_000_000, 23_456_789_123_000_000),  // negative delta, positive q
        (-123_456_789_123, -100_000_000_000, -1_000_000, -23_456_789_123_000_000),  // negative delta, negative q
        (100, -100, 30_000, -6_000_000),  // is long, index went from negative to positive
        (100, 100, 1_000_000, 0),  // is long, index unchanged
        (0, 100, 10_000_000, 1_000_000_000),  // is long, index went from positive to zero
        (-200, 100, 10_000_000, 3_000_000_000),  // is long, index went from positive to negative
        (100, -100, -30_000, 6_000_000),  // is short, index went from negative to positive
        (100, 100, -1_000, 0),  // is short, index unchanged
        (0, 100, -5_000_000, -500_000_000),  // is short, index went from positive to zero
        (-50, 100, -5_000_000, -750_000_000),  // is short, index went from positive to negative
    ])
    func dydxSettlement(now: Int64, entry: Int64, quantums: Int64, expected: Int64) throws {
        let payment = try FundingMath.payment(
            indexDelta: Price(raw: now - entry),
            size: try Quantity(units: quantums)
        )
        #expect(payment.raw == expected)
    }

    /// Binance USDⓈ-M funding formula, https://www.binance.com/en/support/articles/360033525031 :
    /// F = P̄ + clamp(I − P̄, −0.05 %, +0.05 %), I = 0.01 %. Hand-computed: P̄ = 0.073 % ⇒ I − P̄ = −0.063 %
    /// clamps to −0.05 % ⇒ F = 0.023 %; P̄ = −0.02 % ⇒ I − P̄ = 0.03 % ⇒ F = 0.01 %; a 1 % premium hits a 0.75 % cap.
    @Test(arguments: [
        ("0.00073", "0.00023"), ("-0.0002", "0.0001"), ("0.0003", "0.0001"), ("0.01", "0.0075"), ("-0.02", "-0.0075"),
    ])
    func premiumPlusClampedInterest(premium: String, expected: String) throws {
        let rate = try FundingMath.premiumPlusClampedInterest(
            premium: Rate(parsing: premium),
            interest: Rate(parsing: "0.0001"),
            clamp: Rate(parsing: "0.0005"),
            cap: Rate(parsing: "0.0075")
        )
        #expect(rate == (try Rate(parsing: expected)))
    }

    /// OKX: F = clamp(P̄, floor, cap) with interest 0 (https://www.okx.com/help/360053909272 ; BTC cap ±0.375 %).
    @Test func okxClampedPremium() throws {
        let cap = try Rate(parsing: "0.00375")
        #expect(try FundingMath.clampedPremium(premium: Rate(parsing: "0.005"), cap: cap) == cap)
        #expect(try FundingMath.clampedPremium(premium: Rate(parsing: "-0.01"), cap: cap) == -cap)
        #expect(
            try FundingMath.clampedPremium(premium: Rate(parsing: "0.0012"), cap: cap) == (try Rate(parsing: "0.0012"))
        )
        #expect(throws: ArithmeticError.self) { try FundingMath.clampedPremium(premium: .zero, cap: Rate(raw: -1)) }
    }

    /// Drift v2, drift-labs/protocol-v2 programs/drift/src/math/funding.rs (calculate_funding_rate):
    /// spread = markTWAP − oracleTWAP + oracleTWAP/5000, clamped to ±oracleTWAP·cap, paid hourly at 1/24.
    /// Hand-computed: 101 − 100 + 0.02 = 1.02 ⇒ 1.02 / 24 = 0.0425 per base; mark 110 ⇒ 10.02 clamps to 3 ⇒ 0.125.
    @Test func driftTwapSpread() throws {
        func delta(_ mark: String) throws -> Price {
            try FundingMath.twapSpreadIndexDelta(
                markTWAP: Price(parsing: mark),
                oracleTWAP: Price(parsing: "100"),
                offsetDenominator: 5000,
                cap: Rate(parsing: "0.03"),
                intervalSeconds: 3600
            )
        }
        #expect(try delta("101") == (try Price(parsing: "0.0425")))
        #expect(try delta("110") == (try Price(parsing: "0.125")))
        #expect(try delta("90") == (try Price(parsing: "-0.125")))
    }

    /// Hyperliquid pays the 8-hour rate hourly at one eighth, on oracle notional
    /// (https://hyperliquid.gitbook.io/hyperliquid-docs/trading/funding , restated at
    /// https://docs.notional.xyz/protocol/funding). Hand-computed: 0.01 %/8 h on price 100 ⇒ Δ = 0.00125 per hour.
    @Test func hyperliquidEighthHourly() throws {
        let rule = FundingRule(
            formula: .premiumPlusClampedInterest(
                interest: Rate(raw: 10_000),
                clamp: Rate(raw: 50_000),
                cap: Rate(raw: 4_000_000)
            ),
            intervalSeconds: 3600,
            rateIntervalSeconds: 28_800,
            basis: .oracle
        )
        let delta = try rule.indexDelta(FundingInputs(premium: .zero), basisPrice: Price(parsing: "100"))
        #expect(delta == (try Price(parsing: "0.00125")))
        // Ten long units pay 0.0125; ten short units receive it.
        #expect(
            try FundingMath.payment(indexDelta: delta, size: Quantity(parsing: "10")) == (try Money(parsing: "-0.0125"))
        )
        #expect(
            try FundingMath.payment(indexDelta: delta, size: Quantity(parsing: "-10")) == (try Money(parsing: "0.0125"))
        )
    }

    /// Payments round toward −∞: a payer pays the ceiling, a receiver gets the floor; the sum is never positive.
    @Test func paymentRoundingFavoursVenue() throws {
        let delta = Price(raw: 283_948_800)  // 12,345.6 × 0.023 % = 2.839488
        let long = try FundingMath.payment(indexDelta: delta, size: Quantity(parsing: "0.001"))
        let short = try FundingMath.payment(indexDelta: delta, size: Quantity(parsing: "-0.001"))
        #expect(long.raw == -283_949)
        #expect(short.raw == 283_948)
    }
}
