public import FulcrumCore

/// Notional that would be liquidated at each price level: longs below the reference price, shorts above, the
/// cumulative forced flow from the reference outward, and the levels where it exceeds the book depth available
/// between the reference and that level ("liquidity exhaustion points").
public struct LiquidationHeatmap: Sendable, Hashable {
    /// One price bucket `[lower, upper)`.
    public struct Bucket: Sendable, Hashable {
        /// Lowest price of the bucket.
        public var lower: Price
        /// Upper bound (exclusive).
        public var upper: Price
        /// Long notional (at the liquidation price) liquidated in the bucket.
        public var longNotional: Money
        /// Short notional liquidated in the bucket.
        public var shortNotional: Money
        /// Forced flow from the reference to this bucket inclusive (longs below, shorts above).
        public var cumulative: MoneySum
        /// Book depth from the reference to this bucket's far edge (``HeatmapDepth``).
        public var cumulativeDepth: MoneySum
        /// Whether the cumulative forced flow exceeds the cumulative depth here.
        public var exhausted: Bool
    }

    /// The reference (mark) price.
    public var reference: Price
    /// Buckets, lowest price first.
    public var buckets: [Bucket]
    /// Positions whose liquidation price is outside the charted range.
    public var outOfRange: Int
    /// Highest price below the reference where the long flow first exhausts the depth, if any.
    public var longExhaustion: Price?
    /// Lowest price above the reference where the short flow first exhausts the depth, if any.
    public var shortExhaustion: Price?

    /// Builds a heatmap against a flat book: `depthPerBucket` of notional per bucket of price move.
    ///
    /// - Throws: ``AnalyticsError`` as ``build(positions:reference:bucketWidth:bucketsPerSide:depth:)``.
    public static func build(
        positions: [HeatmapPosition],
        reference: Price,
        bucketWidth: Price,
        bucketsPerSide: Int,
        depthPerBucket: Money
    ) throws(AnalyticsError) -> LiquidationHeatmap {
        try build(
            positions: positions,
            reference: reference,
            bucketWidth: bucketWidth,
            bucketsPerSide: bucketsPerSide,
            depth: .perBucket(depthPerBucket)
        )
    }

    /// Builds a heatmap.
    ///
    /// - Parameters:
    ///   - bucketWidth: price width of a bucket (positive).
    ///   - bucketsPerSide: buckets below and above the reference.
    ///   - depth: the liquidity between the reference and each level (``HeatmapDepth``).
    /// - Throws: ``AnalyticsError`` for a non-positive reference, width or bucket count, negative depth, or overflow.
    public static func build(
        positions: [HeatmapPosition],
        reference: Price,
        bucketWidth: Price,
        bucketsPerSide: Int,
        depth book: HeatmapDepth
    ) throws(AnalyticsError) -> LiquidationHeatmap {
        guard reference.isPositive else { throw AnalyticsError("reference price \(reference) must be positive") }
        guard bucketWidth.isPositive else { throw AnalyticsError("bucket width \(bucketWidth) must be positive") }
        guard bucketsPerSide > 0, bucketsPerSide <= 10_000 else {
            throw AnalyticsError("buckets per side \(bucketsPerSide) must be in 1...10000")
        }
        if case .perBucket(let depthPerBucket) = book, depthPerBucket.isNegative {
            throw AnalyticsError("depth \(depthPerBucket) must not be negative")
        }
        do {
            var longs = [Money](repeating: .zero, count: 2 * bucketsPerSide)
            var shorts = [Money](repeating: .zero, count: 2 * bucketsPerSide)
            var outside = 0
            for position in positions {
                let offset = position.liquidationPrice.wide - reference.wide
                // floor((P − ref) / width): the bucket containing P (rounded down: a price on a boundary belongs to
                // the bucket above it, as [lower, upper) says).
                let k = try FixedMath.divide(offset, by: bucketWidth.wide, rounding: .down)
                let index = Int(k) + bucketsPerSide
                guard index >= 0, index < 2 * bucketsPerSide else {
                    outside += 1
                    continue
                }
                let notional = try position.size.magnitude.notional(at: position.liquidationPrice, rounding: .up)
                switch position.side {
                case .long: longs[index] = try longs[index].adding(notional)
                case .short: shorts[index] = try shorts[index].adding(notional)
                }
            }
            var buckets: [Bucket] = []
            for index in 0..<(2 * bucketsPerSide) {
                let lower = try reference.adding(try bucketWidth.times(Int64(index - bucketsPerSide)))
                buckets.append(
                    Bucket(
                        lower: lower,
                        upper: try lower.adding(bucketWidth),
                        longNotional: longs[index],
                        shortNotional: shorts[index],
                        cumulative: MoneySum(),
                        cumulativeDepth: MoneySum(),
                        exhausted: false
                    )
                )
            }
            var longExhaustion: Price?
            var flow = MoneySum()
            var bids = HeatmapDepth.Walk(depth: book, reference: reference, below: true)
            for index in stride(from: bucketsPerSide - 1, through: 0, by: -1) {
                flow += buckets[index].longNotional
                let depth = try bids.through(edge: buckets[index].lower)
                buckets[index].cumulative = flow
                buckets[index].cumulativeDepth = depth
                buckets[index].exhausted = flow > depth
                if flow > depth && longExhaustion == nil { longExhaustion = buckets[index].upper }
            }
            var shortExhaustion: Price?
            flow = MoneySum()
            var asks = HeatmapDepth.Walk(depth: book, reference: reference, below: false)
            for index in bucketsPerSide..<(2 * bucketsPerSide) {
                flow += buckets[index].shortNotional
                let depth = try asks.through(edge: buckets[index].upper)
                buckets[index].cumulative = flow
                buckets[index].cumulativeDepth = depth
                buckets[index].exhausted = flow > depth
                if flow > depth && shortExhaustion == nil { shortExhaustion = buckets[index].lower }
            }
            return LiquidationHeatmap(
                reference: reference,
                buckets: buckets,
                outOfRange: outside,
                longExhaustion: longExhaustion,
                shortExhaustion: shortExhaustion
            )
        } catch {
            throw AnalyticsError("heatmap: \(error)")
        }
    }
}
