/// One accepted engine event as the durable log holds it.
///
/// `line` is the event in the versioned v1 JSON-lines wire format (`docs/EVENTS.md`), exactly as
/// `fulcrum replay` reads it, so an exported log replays to the same state hash as the live server.
public struct LoggedEvent: Sendable, Hashable {
    /// Position in the log, starting at 1, gap-free.
    public var sequence: Int64
    /// The event as one v1 JSON line (no trailing newline).
    public var line: String
    /// Client-chosen idempotency key of the request that carried this event, when one was sent.
    public var idempotencyKey: String?
    /// The response the server acknowledged the request with (JSON), replayed verbatim on a retry.
    public var response: String
    /// Milliseconds since the Unix epoch at which the server accepted the event (injected clock).
    public var acceptedAtMilliseconds: Int64

    /// Creates a log record.
    public init(sequence: Int64, line: String, idempotencyKey: String?, response: String, acceptedAtMilliseconds: Int64)
    {
        self.sequence = sequence
        self.line = line
        self.idempotencyKey = idempotencyKey
        self.response = response
        self.acceptedAtMilliseconds = acceptedAtMilliseconds
    }
}

/// One effect (liquidation, ADL, funding, …) the engine emitted, in the order it emitted them.
public struct LoggedEffect: Sendable, Hashable {
    /// Position in the effects log, starting at 1, gap-free (the WebSocket resume cursor).
    public var sequence: Int64
    /// The event that caused it.
    public var eventSequence: Int64
    /// The effect as one JSON object (no trailing newline).
    public var json: String

    /// Creates an effect record.
    public init(sequence: Int64, eventSequence: Int64, json: String) {
        self.sequence = sequence
        self.eventSequence = eventSequence
        self.json = json
    }
}

/// A full engine state at one point of the log.
public struct EngineSnapshotRecord: Sendable, Hashable {
    /// The last event sequence included in the state.
    public var eventSequence: Int64
    /// The last effect sequence emitted up to that event.
    public var effectSequence: Int64
    /// The engine's deterministic state hash at that point.
    public var stateHash: UInt64
    /// The engine state, encoded by `ClearingEngine.snapshotBytes()`.
    public var bytes: [UInt8]

    /// Creates a snapshot record.
    public init(eventSequence: Int64, effectSequence: Int64, stateHash: UInt64, bytes: [UInt8]) {
        self.eventSequence = eventSequence
        self.effectSequence = effectSequence
        self.stateHash = stateHash
        self.bytes = bytes
    }
}

/// Role of an API key.
public enum APIKeyRole: String, Sendable, Hashable, CaseIterable, Codable {
    /// Trades and moves collateral of its own account only.
    case trader
    /// Publishes index/mark prices and funding.
    case oracle
    /// Administers markets, insurance fund, sweeps; reads everything.
    case `operator`
    /// Reads everything, writes nothing.
    case readOnly = "read-only"
}

/// An API key as stored: only the SHA-256 of the secret, never the secret.
public struct APIKeyRecord: Sendable, Hashable {
    /// Public key id (the part before the dot in `fk_<id>.<secret>`).
    public var id: String
    /// Lowercase hex SHA-256 of the whole key string.
    public var secretHash: String
    /// What the key may do.
    public var role: APIKeyRole
    /// The one account a trader key is scoped to (`nil` for other roles).
    public var account: Int64?
    /// Milliseconds since the Unix epoch at creation.
    public var createdAtMilliseconds: Int64

    /// Creates a key record.
    public init(id: String, secretHash: String, role: APIKeyRole, account: Int64?, createdAtMilliseconds: Int64) {
        self.id = id
        self.secretHash = secretHash
        self.role = role
        self.account = account
        self.createdAtMilliseconds = createdAtMilliseconds
    }
}

/// How hard the log pushes a commit to stable storage.
public enum FsyncPolicy: String, Sendable, Hashable, CaseIterable {
    /// fsync on every commit (SQLite `synchronous=FULL`; PostgreSQL `synchronous_commit=on`). The default:
    /// an acknowledged event survives power loss.
    case full
    /// fsync at WAL checkpoints only (SQLite `synchronous=NORMAL`; PostgreSQL `synchronous_commit=off`):
    /// survives a process crash, may lose the last commits on power loss.
    case normal
}

/// The durable, append-only event log with snapshots, effects, API keys and proof-of-liabilities epochs.
///
/// Implementations: `SQLiteEventLog` (GRDB, the default) and `PostgresEventLog` (postgres-nio). Both use the
/// same schema and the same versioned migrations. `append` is one transaction: when it returns, every event and
/// effect in the batch is durable under the log's ``FsyncPolicy``; when it throws, none is (group commit:
/// the server batches concurrent requests into one `append`).
public protocol EventLog: Sendable {
    /// Creates or upgrades the schema (versioned migrations); safe to call on every start.
    func migrate() async throws
    /// Appends events and their effects atomically. Sequences must continue the log without gaps.
    ///
    /// Runs on the caller's executor (`nonisolated(nonsending)`): a log whose commit is short CPU work (SQLite
    /// under ``FsyncPolicy/normal``) does it there without a thread hop; one that waits (an fsync, the network)
    /// suspends and frees the caller meanwhile.
    nonisolated(nonsending) func append(events: [LoggedEvent], effects: [LoggedEffect]) async throws
    /// The highest event sequence in the log (0 when empty).
    func lastEventSequence() async throws -> Int64
    /// The highest effect sequence in the log (0 when empty).
    func lastEffectSequence() async throws -> Int64
    /// Events with `sequence > after`, ascending, at most `limit`.
    func events(after: Int64, limit: Int) async throws -> [LoggedEvent]
    /// Effects with `sequence > after`, ascending, at most `limit`.
    func effects(after: Int64, limit: Int) async throws -> [LoggedEffect]
    /// The event recorded under an idempotency key, if any.
    func event(idempotencyKey: String) async throws -> LoggedEvent?
    /// Stores a snapshot (older ones may be pruned).
    func saveSnapshot(_ snapshot: EngineSnapshotRecord) async throws
    /// The snapshot with the highest event sequence, if any.
    func latestSnapshot() async throws -> EngineSnapshotRecord?
    /// Stores a new API key.
    func insertAPIKey(_ key: APIKeyRecord) async throws
    /// The key with this id, if any.
    func apiKey(id: String) async throws -> APIKeyRecord?
    /// Stores a proof-of-liabilities epoch in one transaction; when it returns the epoch is durable under the
    /// ``FsyncPolicy``. Epochs are numbered `1, 2, 3, …` gap-free and never replaced.
    ///
    /// - Throws: ``StoreError`` `sequenceGap` naming the epoch when it is not `last + 1`; `invalidArgument`
    ///   naming the epoch and field for a bad record (event sequence beyond the log or before the previous
    ///   epoch's, secret not 32 bytes, hash not 64 lowercase hex, ids not increasing, …). The log is unchanged.
    func saveProofEpoch(_ record: ProofEpochRecord) async throws
    /// Summaries of the stored epochs with `epoch < before` (all when `nil`), newest first, at most `limit`.
    func proofEpochs(before: Int64?, limit: Int) async throws -> [ProofEpochSummary]
    /// One stored epoch's summary, if it exists.
    func proofEpochSummary(_ epoch: Int64) async throws -> ProofEpochSummary?
    /// One stored epoch in full (secret and liabilities), if it exists.
    ///
    /// - Throws: ``StoreError`` `corruptRecord` naming the epoch when a column or the liabilities blob is bad.
    func proofEpoch(_ epoch: Int64) async throws -> ProofEpochRecord?
    /// The highest stored epoch number (0 when none).
    func latestProofEpoch() async throws -> Int64
    /// Closes connections.
    func close() async throws
    /// Hands the log's checkpoints to the caller: from now on the write-ahead log is copied into the database only
    /// by ``checkpoint()`` (and on close), never inside an `append`. A long-running writer (the server) calls it
    /// once and then checkpoints when no write is waiting; a log without checkpoints ignores it.
    func takeOverCheckpoints() async throws
    /// Copies the committed write-ahead log into the database without blocking readers (SQLite
    /// `wal_checkpoint(PASSIVE)`, fsynced per the ``FsyncPolicy``). `concurrently`: on a second connection, appends
    /// go on meanwhile, but the WAL cannot restart from its start while they do; otherwise on the writer, appends
    /// wait, and the next one restarts the WAL (this is what bounds it). Nothing is lost when it fails or is never
    /// called; the WAL just grows. A log without checkpoints does nothing. Runs on the caller's executor
    /// (`nonisolated(nonsending)`) so a short checkpoint on the writer can run inline, like a short `append`.
    nonisolated(nonsending) func checkpoint(concurrently: Bool) async throws
}

/// For logs without a write-ahead log under the caller's control (PostgreSQL checkpoints on its own; test doubles).
extension EventLog {
    /// Nothing to take over.
    public func takeOverCheckpoints() async throws {}
    /// Nothing to do.
    public nonisolated(nonsending) func checkpoint(concurrently: Bool) async throws {}
}

/// For logs written before proof epochs existed (and test doubles): no epochs are stored and saving one is
/// refused with ``StoreError/Code/unsupported``. ``SQLiteEventLog`` and ``PostgresEventLog`` implement all of them.
extension EventLog {
    /// Refuses: this log does not store proof epochs.
    public func saveProofEpoch(_ record: ProofEpochRecord) async throws {
        throw StoreError(.unsupported, "proof epoch \(record.epoch): this event log does not store proof epochs")
    }
    /// No epochs.
    public func proofEpochs(before: Int64?, limit: Int) async throws -> [ProofEpochSummary] { [] }
    /// No epoch.
    public func proofEpochSummary(_ epoch: Int64) async throws -> ProofEpochSummary? { nil }
    /// No epoch.
    public func proofEpoch(_ epoch: Int64) async throws -> ProofEpochRecord? { nil }
    /// 0: no epochs.
    public func latestProofEpoch() async throws -> Int64 { 0 }
}
