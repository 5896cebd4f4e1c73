/// One measured workload of `fulcrum bench`: how many items were processed and how long the work itself took.
public struct BenchMeasurement: Sendable, Hashable {
    /// Workload name (`liqprice`, `cross-check`, `backtest-year`, `cascade`).
    public var name: String
    /// Items processed (positions, accounts, samples, account-steps).
    public var items: Int
    /// Wall-clock seconds around the work only (setup and data loading excluded), best of the runs.
    public var seconds: Double
    /// Bytes of engine state read per item (the memory-traffic floor of the workload).
    public var bytesPerItem: Int
    /// A one-line check on the result (e.g. how many accounts were liquidatable), so the work cannot be elided.
    public var detail: String

    /// Creates a measurement.
    public init(name: String, items: Int, seconds: Double, bytesPerItem: Int, detail: String) {
        self.name = name
        self.items = items
        self.seconds = seconds
        self.bytesPerItem = bytesPerItem
        self.detail = detail
    }

    /// `items / seconds` (0 when no time was measured).
    public var itemsPerSecond: Double { seconds > 0 ? Double(items) / seconds : 0 }

    /// `seconds / items` in nanoseconds.
    public var nanosecondsPerItem: Double { items > 0 ? seconds * 1e9 / Double(items) : 0 }
}
