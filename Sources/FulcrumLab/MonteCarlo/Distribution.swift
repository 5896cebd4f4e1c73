/// Summary statistics of one metric over Monte Carlo paths (Double: statistics, not settlements).
///
/// Percentiles use the nearest-rank method on the sorted values (`p`-th percentile = the value at rank
/// `⌈p/100 · n⌉`), so they are actual path outcomes and exactly reproducible.
public struct Distribution: Sendable, Hashable {
    /// Arithmetic mean (summed in path order).
    public var mean: Double
    /// Median.
    public var p50: Double
    /// 95th percentile.
    public var p95: Double
    /// 99th percentile.
    public var p99: Double
    /// Smallest value.
    public var min: Double
    /// Largest value.
    public var max: Double
    /// The sorted values (for histograms).
    public var sorted: [Double]

    /// Summarises `values` (empty: all zero).
    public init(_ values: [Double]) {
        sorted = values.sorted()
        guard !sorted.isEmpty else {
            mean = 0
            p50 = 0
            p95 = 0
            p99 = 0
            min = 0
            max = 0
            return
        }
        var sum = 0.0
        for v in values { sum += v }
        mean = sum / Double(values.count)
        min = sorted[0]
        max = sorted[sorted.count - 1]
        let values = sorted
        func rank(_ p: Double) -> Double {
            let r = Int((p / 100 * Double(values.count)).rounded(.up))
            return values[Swift.min(values.count - 1, Swift.max(0, r - 1))]
        }
        p50 = rank(50)
        p95 = rank(95)
        p99 = rank(99)
    }
}
