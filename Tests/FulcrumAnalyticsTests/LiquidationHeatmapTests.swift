import FulcrumAnalytics
import FulcrumCore
import FulcrumLab
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

    /// The book walk: each bid level at `reference · (1 − offset)` counts, at its own price, once the bucket's lower
    /// edge reaches it; asks likewise above. Bids 1 @ 99 and 2 @ 98 (offsets 1 %, 2 %), ask 3 @ 101.
    @Test func bookDepthIsTheCumulativeWalk() throws {
        let bids = try BookLevels(offsets: [1_000_000, 2_000_000], sizes: [100_000_000, 200_000_000])
        let asks = try BookLevels(offsets: [1_000_000], sizes: [300_000_000])
        let map = try LiquidationHeatmap.build(
            positions: [
                try Self.position(.long, "2", 99),  // bucket [99, 100): 198 > depth 99 (the level at 99)
                try Self.position(.short, "1", 100),  // bucket [100, 101): 100 ≤ 303 (the ask at 101)
            ],
            reference: try Price(units: 100),
            bucketWidth: try Price(units: 1),
            bucketsPerSide: 3,
            depth: .book(bids: bids, asks: asks)
        )
        #expect(map.buckets[2].cumulativeDepth == MoneySum(try Money(units: 99)))
        #expect(map.buckets[1].cumulativeDepth == MoneySum(try Money(units: 99 + 196)))
        #expect(map.buckets[0].cumulativeDepth == MoneySum(try Money(units: 99 + 196)))  // the book ends at 98
        #expect(map.buckets[2].exhausted && !map.buckets[1].exhausted)
        #expect(map.longExhaustion == (try Price(units: 100)))
        #expect(map.buckets[3].cumulativeDepth == MoneySum(try Money(units: 303)))
        #expect(map.shortExhaustion == nil)
    }

    /// A flat book given as ``HeatmapDepth/perBucket(_:)`` is the `depthPerBucket` form, bucket for bucket.
    @Test func flatDepthMatchesPerBucketForm() throws {
        let positions = [try Self.position(.long, "3", 97_500), try Self.position(.short, "1", 103_000)]
        let flat = try LiquidationHeatmap.build(
            positions: positions,
            reference: try Price(units: 100_000),
            bucketWidth: try Price(units: 1_000),
            bucketsPerSide: 5,
            depthPerBucket: try Money(units: 50_000)
        )
        let general = try LiquidationHeatmap.build(
            positions: positions,
            reference: try Price(units: 100_000),
            bucketWidth: try Price(units: 1_000),
            bucketsPerSide: 5,
            depth: .perBucket(try Money(units: 50_000))
        )
        #expect(flat == general)
        #expect(flat.buckets[0].cumulativeDepth == MoneySum(try Money(units: 250_000)))
    }
}
