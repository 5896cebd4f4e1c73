public import FulcrumCore
import RealModule

/// A time series of prices: strictly increasing Unix-millisecond timestamps and positive fixed-point prices.
public struct PriceSeries: Sendable, Hashable {
    /// Sample times, Unix milliseconds, strictly increasing.
    public let timestamps: [Int64]
    /// Prices at those times, all positive.
    public let prices: [Price]

    /// Validates and stores a series.
    ///
    /// - Throws: ``AnalyticsError`` naming the row when the lengths differ, a timestamp does not increase or a
    ///   price is not positive.
    public init(timestamps: [Int64], prices: [Price], field: String = "price") throws(AnalyticsError) {
        guard timestamps.count == prices.count else {
            throw AnalyticsError("\(field): \(timestamps.count) timestamps but \(prices.count) prices")
        }
        for index in prices.indices {
            guard prices[index].isPositive else {
                throw AnalyticsError("\(field) at row \(index + 1) is \(prices[index]); prices must be positive")
            }
            if index > 0, timestamps[index] <= timestamps[index - 1] {
                throw AnalyticsError(
                    "\(field) timestamp at row \(index + 1) (\(timestamps[index])) does not increase "
                        + "(previous \(timestamps[index - 1]))"
                )
            }
        }
        self.timestamps = timestamps
        self.prices = prices
    }

    /// Number of samples.
    public var count: Int { prices.count }

    /// The index of the latest sample at or before `timestamp`, or `nil` when every sample is later.
    ///
    /// - Complexity: O(log n).
    public func indexAtOrBefore(_ timestamp: Int64) -> Int? {
        var low = 0
        var high = timestamps.count
        while low < high {
            let mid = (low + high) / 2  // integer index arithmetic, not money
            if timestamps[mid] <= timestamp { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    /// Natural-log returns between consecutive samples (statistics only: Double is allowed here).
    public func logReturns() -> [Double] {
        guard prices.count > 1 else { return [] }
        var result: [Double] = []
        result.reserveCapacity(prices.count - 1)
        var previous = Double(prices[0].raw)
        for index in 1..<prices.count {
            let current = Double(prices[index].raw)
            result.append(Double.log(current / previous))
            previous = current
        }
        return result
    }
}
