import Foundation
import GRDB
import Synchronization

/// The embedded default ``EventLog``: one SQLite file through GRDB, in WAL mode.
///
/// `synchronous` follows the ``FsyncPolicy`` (`FULL`: the WAL is fsynced on every commit; `NORMAL`: at
/// checkpoints only). Writes are serialized by SQLite's single writer, so the gap check and the inserts of one
/// ``append(events:effects:)`` run in one `BEGIN IMMEDIATE … COMMIT` transaction with no race.
public final class SQLiteEventLog: EventLog {
    let writer: any DatabaseWriter
    /// A second connection to the same file for checkpoints that must not stall the writer: opened by
    /// ``takeOverCheckpoints()`` only (never in memory), so a log that keeps SQLite's own checkpoints holds one.
    let checkpointer = Mutex<DatabaseQueue?>(nil)
    /// Starts the WAL's writeback after each commit under ``FsyncPolicy/normal`` (nil in memory and under
    /// ``FsyncPolicy/full``, whose commits fsync anyway).
    let walWriteback: WALWriteback?
    /// Where the database lives (`:memory:` for the in-memory variant).
    public let path: String
    /// The fsync policy the connections were opened with.
    public let fsync: FsyncPolicy

    private init(writer: any DatabaseWriter, path: String, fsync: FsyncPolicy) {
        self.writer = writer
        self.path = path
        self.fsync = fsync
        self.walWriteback = path != ":memory:" && fsync == .normal ? WALWriteback(databasePath: path) : nil
    }

    /// Opens (creating if needed) the log at `path` in WAL mode with `synchronous` from `fsync`. Call
    /// ``migrate()`` before use.
    ///
    /// - Throws: ``StoreError`` (`database`) naming the path when the file cannot be opened.
    public static func open(path: String, fsync: FsyncPolicy = .full) throws(StoreError) -> SQLiteEventLog {
        do {
            let pool = try DatabasePool(path: path, configuration: configuration(fsync))
            // GRDB's WAL set-up runs after `prepareDatabase` on the writer connection and sets
            // `synchronous = NORMAL` there; the writer is the connection whose commits must follow the policy.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous(fsync))") }
            return SQLiteEventLog(writer: pool, path: path, fsync: fsync)
        } catch {
            throw StoreError(.database, "cannot open SQLite database at \(path): \(error)")
        }
    }

    /// A private in-memory log (tests; nothing is durable).
    public static func inMemory() throws(StoreError) -> SQLiteEventLog {
        do {
            let queue = try DatabaseQueue(configuration: configuration(.normal))
            return SQLiteEventLog(writer: queue, path: ":memory:", fsync: .normal)
        } catch {
            throw StoreError(.database, "cannot open an in-memory SQLite database: \(error)")
        }
    }

    static func configuration(_ fsync: FsyncPolicy) -> Configuration {
        var configuration = Configuration()
        configuration.label = "fulcrum-event-log"
        let synchronous = synchronous(fsync)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }
        return configuration
    }

    private static func synchronous(_ fsync: FsyncPolicy) -> String { fsync == .full ? "FULL" : "NORMAL" }

    /// The migrator with every version of ``StoreSchema``.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for version in StoreSchema.versions {
            migrator.registerMigration(version) { db in
                for statement in StoreSchema.statements(version, .sqlite) { try db.execute(sql: statement) }
            }
        }
        return migrator
    }

    public func migrate() async throws {
        try await run("migrate") { [writer] in try Self.migrator.migrate(writer) }
    }

    /// The migration versions applied to this database, in order.
    public func appliedMigrations() async throws -> [String] {
        try await run("read migrations") { [writer] in
            try await writer.read { db in try Self.migrator.appliedMigrations(db) }
        }
    }

    /// The `journal_mode` and `synchronous` pragmas of the writer connection as SQLite reports them (e.g.
    /// `("wal", 2)`; synchronous 1 = NORMAL, 2 = FULL).
    public func pragmas() async throws -> (journalMode: String, synchronous: Int) {
        try await run("read pragmas") { [writer] in
            try await writer.writeWithoutTransaction { db in
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
                let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
                return (mode, synchronous)
            }
        }
    }

    /// Under ``FsyncPolicy/normal`` a commit only writes WAL frames (no fsync; about 4 µs of CPU per event), so it
    /// runs right on the caller's executor (the server's committer, `nonisolated(nonsending)`): GRDB's serial writer
    /// queue runs a synchronous block inline when it is idle. That saves the hops to the queue's thread and back
    /// (thread wake-ups that were most of a group commit's measured 1.1–1.5 ms on 2 busy cores). Under
    /// ``FsyncPolicy/full`` every commit waits for an fsync (milliseconds), so it runs on GRDB's writer queue and
    /// the caller's executor is free meanwhile. Under ``FsyncPolicy/normal`` every few commits also start the
    /// WAL's writeback to the disk without waiting for it (``WALWriteback``), so checkpoints fsync little.
    public nonisolated(nonsending) func append(events: [LoggedEvent], effects: [LoggedEffect]) async throws {
        guard !events.isEmpty || !effects.isEmpty else { return }
        let batch = AppendBatch(events: events, effects: effects)
        if fsync == .normal {
            // Not through `run` (a plain async function: calling it would leave the caller's executor).
            do { try Self.appendNow(batch, to: writer) } catch let error as StoreError { throw error } catch {
                throw StoreError(.database, "SQLite append at \(path): \(error)")
            }
            walWriteback?.committed()
        } else {
            try await run("append") { [writer] in try await writer.write { db in try Self.insert(batch, db) } }
        }
    }

    /// ``append(events:effects:)`` on the calling thread (a synchronous GRDB write).
    private static func appendNow(_ batch: AppendBatch, to writer: any DatabaseWriter) throws {
        try writer.write { db in try insert(batch, db) }
    }

    /// The statements of one append, inside its transaction: the gap check against the log's ends, the
    /// idempotency check, the inserts. Every statement is prepared once per connection (cached).
    private static func insert(_ batch: AppendBatch, _ db: Database) throws {
        let lastEvent = try Int64.fetchOne(db.cachedStatement(sql: lastEventSQL)) ?? 0
        let lastEffect = try Int64.fetchOne(db.cachedStatement(sql: lastEffectSQL)) ?? 0
        try batch.validate(lastEvent: lastEvent, lastEffect: lastEffect)
        for key in batch.idempotencyKeys {
            let lookup = try db.cachedStatement(sql: "SELECT sequence FROM events WHERE idempotency_key = ?")
            if let existing = try Int64.fetchOne(lookup, arguments: [key]) {
                throw StoreError(
                    .duplicateIdempotencyKey,
                    "idempotency key \"\(key)\" is already in the log (event \(existing))"
                )
            }
        }
        let insertEvent = try db.cachedStatement(
            sql: """
                INSERT INTO events (sequence, line, idempotency_key, response, accepted_at_ms)
                VALUES (?, ?, ?, ?, ?)
                """
        )
        for event in batch.events {
            try insertEvent.execute(arguments: [
                event.sequence, event.line, event.idempotencyKey, event.response, event.acceptedAtMilliseconds,
            ])
        }
        let insertEffect = try db.cachedStatement(
            sql: "INSERT INTO effects (sequence, event_sequence, json) VALUES (?, ?, ?)"
        )
        for effect in batch.effects {
            try insertEffect.execute(arguments: [effect.sequence, effect.eventSequence, effect.json])
        }
    }

    private static let lastEventSQL = "SELECT COALESCE(MAX(sequence), 0) FROM events"
    private static let lastEffectSQL = "SELECT COALESCE(MAX(sequence), 0) FROM effects"

    public func lastEventSequence() async throws -> Int64 {
        try await scalar("SELECT COALESCE(MAX(sequence), 0) FROM events")
    }

    public func lastEffectSequence() async throws -> Int64 {
        try await scalar("SELECT COALESCE(MAX(sequence), 0) FROM effects")
    }

    private func scalar(_ sql: String) async throws -> Int64 {
        try await run("read") { [writer] in
            try await writer.read { db in try Int64.fetchOne(db, sql: sql) ?? 0 }
        }
    }

    public func events(after: Int64, limit: Int) async throws -> [LoggedEvent] {
        guard limit > 0 else { return [] }
        return try await run("read events") { [writer] in
            try await writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT sequence, line, idempotency_key, response, accepted_at_ms FROM events
                        WHERE sequence > ? ORDER BY sequence LIMIT ?
                        """,
                    arguments: [after, limit]
                ).map(Self.event(row:))
            }
        }
    }

    public func effects(after: Int64, limit: Int) async throws -> [LoggedEffect] {
        guard limit > 0 else { return [] }
        return try await run("read effects") { [writer] in
            try await writer.read { db in
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT sequence, event_sequence, json FROM effects WHERE sequence > ? ORDER BY sequence LIMIT ?",
                    arguments: [after, limit]
                ).map { row in
                    LoggedEffect(sequence: row[0], eventSequence: row[1], json: row[2])
                }
            }
        }
    }

    public func event(idempotencyKey: String) async throws -> LoggedEvent? {
        try await run("read event") { [writer] in
            try await writer.read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT sequence, line, idempotency_key, response, accepted_at_ms FROM events
                        WHERE idempotency_key = ?
                        """,
                    arguments: [idempotencyKey]
                ).map(Self.event(row:))
            }
        }
    }

    private static func event(row: Row) -> LoggedEvent {
        LoggedEvent(
            sequence: row[0],
            line: row[1],
            idempotencyKey: row[2],
            response: row[3],
            acceptedAtMilliseconds: row[4]
        )
    }

    public func saveSnapshot(_ snapshot: EngineSnapshotRecord) async throws {
        try await run("save snapshot") { [writer] in
            try await writer.write { db in
                let lastEvent = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM events") ?? 0
                let lastEffect = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM effects") ?? 0
                try StoreSchema.validate(snapshot, lastEvent: lastEvent, lastEffect: lastEffect)
                try db.execute(
                    sql: """
                        INSERT INTO snapshots (event_sequence, effect_sequence, state_hash, bytes) VALUES (?, ?, ?, ?)
                        ON CONFLICT (event_sequence) DO UPDATE SET
                            effect_sequence = excluded.effect_sequence,
                            state_hash = excluded.state_hash,
                            bytes = excluded.bytes
                        """,
                    arguments: [
                        snapshot.eventSequence, snapshot.effectSequence, StoreSchema.hashText(snapshot.stateHash),
                        Data(snapshot.bytes),
                    ]
                )
                try db.execute(
                    sql: """
                        DELETE FROM snapshots WHERE event_sequence NOT IN
                            (SELECT event_sequence FROM snapshots ORDER BY event_sequence DESC LIMIT ?)
                        """,
                    arguments: [StoreSchema.retainedSnapshots]
                )
            }
        }
    }

    public func latestSnapshot() async throws -> EngineSnapshotRecord? {
        try await run("read snapshot") { [writer] in
            try await writer.read { db in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT event_sequence, effect_sequence, state_hash, bytes FROM snapshots
                            ORDER BY event_sequence DESC LIMIT 1
                            """
                    )
                else { return nil }
                let sequence: Int64 = row[0]
                let bytes: Data = row[3]
                return EngineSnapshotRecord(
                    eventSequence: sequence,
                    effectSequence: row[1],
                    stateHash: try StoreSchema.hash(text: row[2], snapshot: sequence),
                    bytes: [UInt8](bytes)
                )
            }
        }
    }

    /// Event sequences of the stored snapshots, newest first (at most two are kept).
    public func snapshotSequences() async throws -> [Int64] {
        try await run("read snapshots") { [writer] in
            try await writer.read { db in
                try Int64.fetchAll(db, sql: "SELECT event_sequence FROM snapshots ORDER BY event_sequence DESC")
            }
        }
    }

    public func insertAPIKey(_ key: APIKeyRecord) async throws {
        try await run("insert api key") { [writer] in
            try await writer.write { db in
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_keys WHERE id = ?", arguments: [key.id]) != nil {
                    throw StoreError(.duplicateAPIKey, "api key id \"\(key.id)\" already exists")
                }
                try db.execute(
                    sql: "INSERT INTO api_keys (id, secret_hash, role, account, created_at_ms) VALUES (?, ?, ?, ?, ?)",
                    arguments: [key.id, key.secretHash, key.role.rawValue, key.account, key.createdAtMilliseconds]
                )
            }
        }
    }

    public func apiKey(id: String) async throws -> APIKeyRecord? {
        try await run("read api key") { [writer] in
            try await writer.read { db in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: "SELECT id, secret_hash, role, account, created_at_ms FROM api_keys WHERE id = ?",
                        arguments: [id]
                    )
                else { return nil }
                return APIKeyRecord(
                    id: row[0],
                    secretHash: row[1],
                    role: try StoreSchema.role(text: row[2], key: id),
                    account: row[3],
                    createdAtMilliseconds: row[4]
                )
            }
        }
    }

    public func close() async throws {
        try await run("close") { [writer] in
            try self.checkpointer.withLock { $0 }?.close()
            self.walWriteback?.close()
            if let pool = writer as? DatabasePool { try pool.close() }
            if let queue = writer as? DatabaseQueue { try queue.close() }
        }
    }

    /// Runs `body`, passing ``StoreError``s through and wrapping database errors with what was being done.
    func run<T>(_ action: String, _ body: () async throws -> T) async throws(StoreError) -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "SQLite \(action) at \(path): \(error)")
        }
    }
}
