import FulcrumAnalytics
import FulcrumCore
import Testing

struct LiquidationHeatmapTests {
    static func position(_ side: PositionSide, _ size: String, _ price: Int64) throws -> HeatmapPosition {
        HeatmapPosition(side: side, size: try Quantity(parsing: size), liquidationPrice: try Price(units: price))
    }

    @Test func bucketsCumulateOutwardAndFlagExhaustion() throws {
        let map = try LiquidationHeatmap.build(
            positions: [
                try Self.position(.long, "1", 99_500),  // bucket [99000, 100000): 99,500
                try Self.position(.long, "10", 97_000),  // bucket [97000, 98000): 970,000
                try Self.position(.short, "2", 100_000),  // bucket [100000, 101000): 200,000
                try Self.position(.short, "1", 150_000),  // outside ±5 buckets
            ],
            reference: try Price(units: 100_000),
            bucketWidth: try Price(units: 1_000),
            bucketsPerSide: 5,
            depthPerBucket: try Money(units: 300_000)
        )
        #expect(map.buckets.count == 10)
        #expect(map.outOfRange == 1)
        let below = map.buckets[4]  // [99000, 100000)
        #expect(below.lower == (try Price(units: 99_000)))
        #expect(below.longNotional == (try Money(units: 99_500)))
        #expect(below.exhausted == false)
        let deep = map.buckets[2]  // [97000, 98000): cumulative 1,069,500 > depth 900,000
        #expect(deep.cumulative == MoneySum(try Money(units: 1_069_500)))
        #expect(deep.exhausted)
        #expect(map.longExhaustion == (try Price(units: 98_000)))
        #expect(map.buckets[5].shortNotional == (try Money(units: 200_000)))
        #expect(map.shortExhaustion == nil)
        // Conservation: every in-range notional appears in exactly one bucket.
        let total = map.buckets.reduce(MoneySum()) { $0 + MoneySum($1.longNotional) + MoneySum($1.shortNotional) }
        #expect(total == MoneySum(try Money(units: 1_269_500)))
    }

    @Test func rejectsBadParameters() throws {
        #expect(throws: AnalyticsError.self) {
            try LiquidationHeatmap.build(
                positions: [],
                reference: .zero,
                bucketWidth: .one,
                bucketsPerSide: 1,
                depthPerBucket: .zero
            )
        }
    }
}
