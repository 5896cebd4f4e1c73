import FulcrumCore
import Testing

@Suite("Margin tier tables")
struct MarginTierTableTests {
    static func tier(
        _ floor: Int64,
        _ cap: Int64?,
        _ leverage: Int64,
        _ rate: String,
        _ cum: String
    ) throws
        -> MarginTier
    {
        MarginTier(
            notionalFloor: try Money(units: floor),
            notionalCap: try cap.map { (value: Int64) throws(ArithmeticError) -> Money in try Money(units: value) },
            maxLeverage: try Leverage(units: leverage),
            maintenanceMarginRate: try Rate(parsing: rate),
            maintenanceDeduction: try Money(parsing: cum)
        )
    }

    /// freqtrade tests/exchange/test_binance.py test_fill_leverage_tiers_binance, "ADA/BUSD" tiers with maintAmt.
    @Test func acceptsPublishedTable() throws {
        let table = try MarginTierTable(tiers: [
            try Self.tier(0, 100_000, 20, "0.025", "0"),
            try Self.tier(100_000, 500_000, 10, "0.05", "2500"),
            try Self.tier(500_000, 1_000_000, 5, "0.1", "27500"),
            try Self.tier(1_000_000, 2_000_000, 3, "0.15", "77500"),
            try Self.tier(2_000_000, 5_000_000, 2, "0.25", "277500"),
            try Self.tier(5_000_000, nil, 1, "0.5", "1527500"),
        ])
        #expect(table.tierIndex(forNotional: try Money(units: 99_999)) == 0)
        #expect(table.tierIndex(forNotional: try Money(units: 100_000)) == 1)
        #expect(table.tierIndex(forNotional: try Money(units: -600_000)) == 2)
        // MM is continuous at a boundary: 100,000 × 0.025 − 0 == 100,000 × 0.05 − 2,500.
        let below = try table.maintenanceMargin(forNotional: Money(raw: 100_000 * 100_000_000 - 1))
        let at = try table.maintenanceMargin(forNotional: try Money(units: 100_000))
        #expect((at - below).raw <= 1)
        #expect(at == (try Money(units: 2_500)))
    }

    @Test func derivesDeductionsByRecurrence() throws {
        // Same ADA/BUSD table from rates only: the derived cum must match the published maintAmt.
        let table = try MarginTierTable.derivingDeductions([
            (
                floor: .zero, cap: try Money(units: 100_000), maxLeverage: try Leverage(units: 20),
                maintenanceMarginRate: try Rate(parsing: "0.025")
            ),
            (
                floor: try Money(units: 100_000), cap: try Money(units: 500_000), maxLeverage: try Leverage(units: 10),
                maintenanceMarginRate: try Rate(parsing: "0.05")
            ),
            (
                floor: try Money(units: 500_000), cap: nil, maxLeverage: try Leverage(units: 5),
                maintenanceMarginRate: try Rate(parsing: "0.1")
            ),
        ])
        #expect(table.tiers.map(\.maintenanceDeduction.description) == ["0", "2500", "27500"])
    }

    @Test func rejectsGap() throws {
        #expect(throws: MarginTableError.self) {
            try MarginTierTable(tiers: [
                try Self.tier(0, 100_000, 20, "0.025", "0"),
                try Self.tier(100_001, nil, 10, "0.05", "2500.05"),
            ])
        }
    }

    @Test func rejectsDecreasingRate() throws {
        #expect(throws: MarginTableError.self) {
            try MarginTierTable(tiers: [
                try Self.tier(0, 100_000, 20, "0.05", "0"),
                try Self.tier(100_000, nil, 10, "0.025", "-2500"),
            ])
        }
    }

    @Test func rejectsBrokenCum() throws {
        let tiers = [
            try Self.tier(0, 100_000, 20, "0.025", "0"),
            try Self.tier(100_000, nil, 10, "0.05", "2501"),
        ]
        do {
            _ = try MarginTierTable(tiers: tiers)
            Issue.record("expected a continuity error")
        } catch {
            #expect(error.message.contains("tier 2"))
            #expect(error.message.contains("2501"))
        }
    }

    @Test func rejectsOtherShapes() throws {
        #expect(throws: MarginTableError.self) { try MarginTierTable(tiers: []) }
        #expect(throws: MarginTableError.self) {
            try MarginTierTable(tiers: [try Self.tier(10, nil, 20, "0.025", "0")])
        }
        #expect(throws: MarginTableError.self) {
            try MarginTierTable(tiers: [
                try Self.tier(0, nil, 20, "0.025", "0"), try Self.tier(100_000, nil, 10, "0.05", "2500"),
            ])
        }
        #expect(throws: MarginTableError.self) {
            try MarginTierTable(tiers: [
                try Self.tier(0, 100_000, 10, "0.025", "0"), try Self.tier(100_000, nil, 20, "0.05", "2500"),
            ])
        }
    }
}
