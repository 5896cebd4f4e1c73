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
    /// Checkpoint the log's WAL on its second connection (commits go on) after this many events, then the few
    /// frames committed meanwhile on the writer, after which the WAL restarts; the log's own automatic checkpoint
    /// is off while the service runs. 0: the log checkpoints by itself (SQLite: inside the commit that crosses
    /// 1,000 WAL pages, and every request waits for it). Default ``defaultCheckpointEvents``.
    public var checkpointEvents: Int64
    /// Checkpoint on the writer between two commits (they wait; the WAL then restarts from its start) after this
    /// many events even if second-connection checkpoints fell behind: the bound on the WAL.
    public var checkpointLimitEvents: Int64

    /// Events between two checkpoints by default: about 3 MB of WAL at the load test's ~1 KB per event, close to
    /// SQLite's own 1,000 pages; measured against SQLite's own checkpoint in docs/BENCHMARKS.md.
    public static let defaultCheckpointEvents: Int64 = 3_000

    /// Creates settings (defaults: snapshot every 10,000 events, venue `generic`, seed 0, two-phase checkpoints
    /// every ``defaultCheckpointEvents`` events, on the writer at the latest every 100,000 events).
    public init(
        snapshotEvery: Int64 = 10_000,
        defaultVenue: String = "generic",
        seed: UInt64 = 0,
        idempotencyMemory: Int = 100_000,
        subscriberBuffer: Int = 10_000,
        scanLimit: Int = 200_000,
        checkpointEvents: Int64 = defaultCheckpointEvents,
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
