import Synchronization

/// Per-key token buckets: `rate` requests per second, bursts up to `burst`, on an injected millisecond clock.
///
/// Tokens are counted in thousandths (integers, no floating point): a request costs 1000, and `rate` thousandths
/// refill per millisecond.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var milliTokens: Int64
        var updatedAt: Int64
    }

    /// Requests per second per key.
    public let rate: Int64
    /// Bucket capacity in requests.
    public let burst: Int64
    private let clock: @Sendable () -> Int64
    private let buckets = Mutex<[String: Bucket]>([:])

    /// Creates a limiter (`burst` defaults to twice the rate).
    public init(rate: Int64, burst: Int64? = nil, clock: @escaping @Sendable () -> Int64) {
        self.rate = max(1, rate)
        self.burst = max(1, burst ?? rate.multipliedReportingOverflow(by: 2).partialValue)
        self.clock = clock
    }

    /// Takes one token from `key`'s bucket.
    ///
    /// - Returns: `nil` when allowed, else the whole seconds to wait (at least 1) for the `Retry-After` header.
    func take(_ key: String) -> Int? {
        let now = clock()
        let capacity = burst.multipliedReportingOverflow(by: 1000)
        let cap = capacity.overflow ? Int64.max : capacity.partialValue
        return buckets.withLock { buckets -> Int? in
            var bucket = buckets[key] ?? Bucket(milliTokens: cap, updatedAt: now)
            let elapsed = max(0, now - bucket.updatedAt)
            let refill = elapsed.multipliedReportingOverflow(by: rate)
            let added = refill.overflow ? cap : refill.partialValue
            let sum = bucket.milliTokens.addingReportingOverflow(added)
            bucket.milliTokens = sum.overflow ? cap : min(cap, sum.partialValue)
            bucket.updatedAt = now
            if bucket.milliTokens >= 1000 {
                bucket.milliTokens -= 1000
                buckets[key] = bucket
                return nil
            }
            buckets[key] = bucket
            // Milliseconds until one token is back, rounded up to whole seconds (never tells a client to retry early).
            let missing = 1000 - bucket.milliTokens
            let waitMilliseconds = (missing + rate - 1) / rate
            return Int(max(1, (waitMilliseconds + 999) / 1000))
        }
    }
}
