/// Tunables of an ``EngineService``.
public struct EngineServiceSettings: Sendable, Hashable {
    /// Save a snapshot after this many events since the last one (`--snapshot-every`).
    public var snapshotEvery: Int64
    /// Venue of market listings that name none (`--venue`).
    public var defaultVenue: String
    /// Engine seed (pseudo-random ADL start); written into the exported log's header.
    public var seed: UInt64
    /// Idempotency keys remembered in memory (older ones are looked up in the log).
    public var idempotencyMemory: Int
    /// Stream messages buffered per WebSocket subscriber before it is disconnected as too slow.
    public var subscriberBuffer: Int
    /// Most accounts the dashboard visits: the heatmap scans a tenth of this; the at-risk list ranks at most this
    /// many accounts under maintenance (read from the liquidation index, not scanned).
    public var scanLimit: Int

    /// Creates settings (defaults: snapshot every 10,000 events, venue `generic`, seed 0).
    public init(
        snapshotEvery: Int64 = 10_000,
        defaultVenue: String = "generic",
        seed: UInt64 = 0,
        idempotencyMemory: Int = 100_000,
        subscriberBuffer: Int = 10_000,
        scanLimit: Int = 200_000
    ) {
        self.snapshotEvery = snapshotEvery
        self.defaultVenue = defaultVenue
        self.seed = seed
        self.idempotencyMemory = idempotencyMemory
        self.subscriberBuffer = subscriberBuffer
        self.scanLimit = scanLimit
    }
}
