import FulcrumCore
import PropertyBased
import Testing

/// Tier tables pinned to their sources, and maintenance margin continuous across every tier boundary of every
/// shipped table (the deduction / "cum" recurrence).
@Suite("Tier tables: sourced rows and continuity")
struct TierTableSourceTests {
    static let allMarkets: [(VenueID, MarketSpec)] = VenueID.allCases.flatMap { venue in
        MarketCatalog.markets(venue: venue).map { (venue, $0) }
    }

    /// Bybit derivatives API risk-limit response example for BTCUSDT (carpenstar/bybitapi-sdk-derivatives
    /// `src/Derivatives/MarketData/RiskLimit/README.md` @ 869fb018f5c622023bf58f33cee6ee29cdc90632): limits 2M / 4M /
    /// 6M, maintain margin 0.005 / 0.01 / 0.015, max leverage 100 / 57.14 / 40. Deductions by the recurrence:
    /// 2,000,000 × (1 % − 0.5 %) = 10,000 and 10,000 + 4,000,000 × (1.5 % − 1 %) = 30,000.
    @Test func bybitBTCUSDTRiskLimitSteps() throws {
        let market = try MarketCatalog.market(venue: .bybit, symbol: "BTCUSDT")
        let tiers = market.tiers.tiers
        try #require(tiers.count == 3)
        #expect(tiers.map(\.notionalFloor.description) == ["0", "2000000", "4000000"])
        #expect(tiers.map { $0.notionalCap?.description } == ["2000000", "4000000", nil])
        #expect(tiers.map(\.maintenanceMarginRate.description) == ["0.005", "0.01", "0.015"])
        #expect(tiers.map(\.maxLeverage.description) == ["100", "57.14", "40"])
        #expect(tiers.map(\.maintenanceDeduction.description) == ["0", "10000", "30000"])
        // 3,000,000 USDT: 3M × 1 % − 10,000 = 20,000 (the whole-position rate would say 30,000).
        #expect(
            try market.tiers.maintenanceMargin(forNotional: try Money(units: 3_000_000)) == (try Money(units: 20_000))
        )
        #expect(market.tierSource.hasPrefix("PARTIAL"))
        #expect(market.tierSource.contains("869fb018f5c622023bf58f33cee6ee29cdc90632"))
    }

    /// Markets whose tables were not found keep an honest marker in their source.
    @Test func unretrievedTablesSaySo() throws {
        for (venue, symbol) in [(VenueID.okx, "ETH-USDT-SWAP"), (.bitmex, "ETHUSDT")] {
            let market = try MarketCatalog.market(venue: venue, symbol: symbol)
            #expect(market.tierSource.hasPrefix("NOT RETRIEVED"), "\(venue) \(symbol)")
        }
        for symbol in ["ETHUSDT", "BTCUSD"] {
            #expect(try MarketCatalog.market(venue: .bybit, symbol: symbol).tierSource.hasPrefix("PARTIAL"))
        }
    }

    /// At every boundary `b` of every shipped table, both neighbouring tiers give the same maintenance:
    /// `b·mmr₍ᵢ₋₁₎ − cum₍ᵢ₋₁₎ == b·mmrᵢ − cumᵢ`, exactly (both products are exact at a whole-unit boundary).
    @Test func maintenanceIsContinuousAtEveryBoundary() throws {
        var boundaries = 0
        for (venue, market) in Self.allMarkets {
            let tiers = market.tiers.tiers
            for index in tiers.indices.dropFirst() {
                let boundary = tiers[index].notionalFloor
                let below =
                    try boundary.times(tiers[index - 1].maintenanceMarginRate, rounding: .up)
                    - tiers[index - 1].maintenanceDeduction
                let above =
                    try boundary.times(tiers[index].maintenanceMarginRate, rounding: .up)
                    - tiers[index].maintenanceDeduction
                #expect(below == above, "\(venue) \(market.symbol) boundary \(boundary)")
                boundaries += 1
            }
        }
        #expect(boundaries >= 25)
    }

    /// Property: around any boundary of any shipped table, maintenance is non-decreasing in notional and moves by at
    /// most `Δnotional × max(mmr)` plus one unit of rounding: no jump at a boundary.
    @Test func maintenanceHasNoJumpNearBoundaries() async {
        let boundaries: [(String, MarginTierTable, Money)] = Self.allMarkets.flatMap { venue, market in
            market.tiers.tiers.dropFirst().map { ("\(venue) \(market.symbol)", market.tiers, $0.notionalFloor) }
        }
        await propertyCheck(
            count: 200,
            input: Gen.int(in: 0...(boundaries.count - 1)),
            Gen.int64(in: 1...1_000_000_000_000)
        ) { pick, offsetRaw in
            let (name, table, boundary) = boundaries[pick]
            let offset = Money(raw: offsetRaw)
            guard boundary.raw > offset.raw else { return }
            do {
                let low = try table.maintenanceMargin(forNotional: boundary - offset)
                let at = try table.maintenanceMargin(forNotional: boundary)
                let high = try table.maintenanceMargin(forNotional: try boundary.adding(offset))
                let steepest = table.tiers.map(\.maintenanceMarginRate).max() ?? .zero
                let bound = try offset.times(steepest, rounding: .up).raw + 1
                #expect(low <= at && at <= high, "\(name) around \(boundary) ± \(offset)")
                #expect(at.raw - low.raw <= bound, "\(name): jump below \(boundary)")
                #expect(high.raw - at.raw <= bound, "\(name): jump above \(boundary)")
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
    }
}
