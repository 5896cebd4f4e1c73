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
    /// Checkpoint the log's WAL on its second connection (commits go on) after this many events; the log's own
    /// automatic checkpoint is then off while the service runs. 0 (the default): the log checkpoints by itself
    /// (SQLite: inside the commit that crosses 1,000 WAL pages), which measured better at p99.9 (docs/BENCHMARKS.md).
    public var checkpointEvents: Int64
    /// Checkpoint on the writer between two commits (they wait; the WAL then restarts from its start) after this
    /// many events: the bound on the WAL.
    public var checkpointLimitEvents: Int64

    /// Creates settings (defaults: snapshot every 10,000 events, venue `generic`, seed 0, the log's own
    /// checkpoints; with `checkpointEvents` > 0, on the writer every 100,000 events).
    public init(
        snapshotEvery: Int64 = 10_000,
        defaultVenue: String = "generic",
        seed: UInt64 = 0,
        idempotencyMemory: Int = 100_000,
        subscriberBuffer: Int = 10_000,
        scanLimit: Int = 200_000,
        checkpointEvents: Int64 = 0,
        checkpointLimitEvents: Int64 = 100_000
    ) {
        self.snapshotEvery = snapshotEvery
        self.defaultVenue = defaultVenue
        self.seed = seed
        self.idempotencyMemory = idempotencyMemory
        self.subscriberBuffer = subscriberBuffer
        self.scanLimit = scanLimit
        self.checkpointEvents = checkpointEvents
        self.checkpointLimitEvents = checkpointLimitEvents
    }
}
