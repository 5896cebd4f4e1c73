public import FulcrumCore

/// Realised funding: payment timestamps (Unix ms, non-decreasing, as the venue stamped them, jitter included) and
/// the rate per funding interval (positive: longs pay shorts).
public struct FundingSeries: Sendable, Hashable {
    /// Payment times, Unix milliseconds, strictly increasing.
    public let timestamps: [Int64]
    /// Rate per interval as a fraction (0.0001 = 0.01 %).
    public let rates: [Rate]

    /// Validates and stores a funding series.
    ///
    /// - Throws: ``AnalyticsError`` when the lengths differ or a timestamp does not increase.
    public init(timestamps: [Int64], rates: [Rate]) throws(AnalyticsError) {
        guard timestamps.count == rates.count else {
            throw AnalyticsError("funding: \(timestamps.count) timestamps but \(rates.count) rates")
        }
        for index in timestamps.indices.dropFirst() where timestamps[index] <= timestamps[index - 1] {
            throw AnalyticsError(
                "funding timestamp at row \(index + 1) (\(timestamps[index])) does not increase "
                    + "(previous \(timestamps[index - 1]))"
            )
        }
        self.timestamps = timestamps
        self.rates = rates
    }

    /// Number of payments.
    public var count: Int { rates.count }
}
