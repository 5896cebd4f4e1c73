import Foundation
import Logging
import PostgresNIO

/// The ``EventLog`` on PostgreSQL (`fulcrum serve --database postgres://…`), through postgres-nio's
/// `PostgresClient`.
///
/// Same tables and migration names as ``SQLiteEventLog`` (applied versions in `grdb_migrations(identifier)`);
/// `BIGINT` for sequences and times, `BYTEA` for snapshot bytes. `synchronous_commit` is set per session from the
/// ``FsyncPolicy`` (a startup parameter of every pooled connection). Appends and snapshot saves run in one
/// transaction that first takes `LOCK TABLE events, effects IN EXCLUSIVE MODE`, so the gap check and the inserts
/// cannot race with another writer; readers are not blocked.
public final class PostgresEventLog: EventLog {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger
    /// The server and database (password redacted in `description`).
    public let url: PostgresURL
    /// The fsync policy (`synchronous_commit` on for `full`, off for `normal`).
    public let fsync: FsyncPolicy

    private init(
        client: PostgresClient,
        runner: Task<Void, Never>,
        logger: Logger,
        url: PostgresURL,
        fsync: FsyncPolicy
    ) {
        self.client = client
        self.runner = runner
        self.logger = logger
        self.url = url
        self.fsync = fsync
    }

    /// Connects to `url` (no TLS) and checks the server answers within `timeout`. Call ``migrate()`` before use.
    ///
    /// - Throws: ``StoreError`` `database` naming the URL (password redacted) when the server cannot be reached.
    public static func connect(
        url: PostgresURL,
        fsync: FsyncPolicy = .full,
        timeout: Duration = .seconds(10)
    ) async throws(StoreError) -> PostgresEventLog {
        var configuration = PostgresClient.Configuration(
            host: url.host,
            port: url.port,
            username: url.user,
            password: url.password,
            database: url.database,
            tls: .disable
        )
        configuration.options.additionalStartupParameters = [
            ("synchronous_commit", fsync == .full ? "on" : "off"),
            ("application_name", "fulcrum"),
        ]
        configuration.options.maximumConnections = 8
        configuration.options.connectTimeout = timeout
        var quiet = Logger(label: "fulcrum.store.postgres")
        // postgres-nio logs every failed connection attempt at info; the errors that matter reach the caller.
        quiet.logLevel = .warning
        let logger = quiet
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        let log = PostgresEventLog(client: client, runner: runner, logger: logger, url: url, fsync: fsync)
        do {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await client.query("SELECT 1", logger: logger)
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return false
                }
                let answered = try await group.next() ?? false
                group.cancelAll()
                guard answered else {
                    throw StoreError(.database, "PostgreSQL at \(url) did not answer within \(timeout)")
                }
            }
        } catch {
            runner.cancel()
            await runner.value
            if let error = error as? StoreError { throw error }
            throw StoreError(.database, "cannot connect to PostgreSQL at \(url): \(Self.describe(error))")
        }
        return log
    }

    public func migrate() async throws {
        try await transaction("migrate") { connection, logger in
            // Serializes concurrent migrators (two servers starting at once) for this transaction only.
            try await connection.query("SELECT pg_advisory_xact_lock(4711006)", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)",
                logger: logger
            )
            let applied = Set(
                try await connection.query("SELECT identifier FROM grdb_migrations", logger: logger).collect()
                    .map { try $0.decode(String.self) }
            )
            for version in StoreSchema.versions where !applied.contains(version) {
                for statement in StoreSchema.statements(version, .postgres) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO grdb_migrations (identifier) VALUES (\(version))",
                    logger: logger
                )
            }
        }
    }

    /// The migration versions applied to this database, in order.
    public func appliedMigrations() async throws -> [String] {
        try await run("read migrations") { client, logger in
            try await client.query("SELECT identifier FROM grdb_migrations ORDER BY identifier", logger: logger)
                .collect().map { try $0.decode(String.self) }
        }
    }

    /// The session's `synchronous_commit` as the server reports it (`on` / `off`).
    public func synchronousCommit() async throws -> String {
        try await run("read synchronous_commit") { client, logger in
            let rows = try await client.query("SHOW synchronous_commit", logger: logger).collect()
            return try rows.first?.decode(String.self) ?? ""
        }
    }

    public nonisolated(nonsending) func append(events: [LoggedEvent], effects: [LoggedEffect]) async throws {
        guard !events.isEmpty || !effects.isEmpty else { return }
        let batch = AppendBatch(events: events, effects: effects)
        try await transaction("append") { connection, logger in
            try await connection.query("LOCK TABLE events, effects IN EXCLUSIVE MODE", logger: logger)
            let (lastEvent, lastEffect) = try await Self.ends(connection, logger)
            try batch.validate(lastEvent: lastEvent, lastEffect: lastEffect)
            let keys = batch.idempotencyKeys
            if !keys.isEmpty {
                let rows = try await connection.query(
                    "SELECT sequence, idempotency_key FROM events WHERE idempotency_key = ANY(\(keys)) LIMIT 1",
                    logger: logger
                ).collect()
                if let row = rows.first {
                    let (sequence, key) = try row.decode((Int64, String).self)
                    throw StoreError(
                        .duplicateIdempotencyKey,
                        "idempotency key \"\(key)\" is already in the log (event \(sequence))"
                    )
                }
            }
            // Multi-row INSERTs, at most 1,000 rows (5,000 binds) per statement.
            for chunk in stride(from: 0, to: events.count, by: 1_000) {
                let rows = events[chunk..<min(chunk + 1_000, events.count)]
                var binds = PostgresBindings(capacity: rows.count * 5)
                var values: [String] = []
                for (index, event) in rows.enumerated() {
                    let base = index * 5
                    values.append("($\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4), $\(base + 5))")
                    binds.append(event.sequence)
                    binds.append(event.line)
                    binds.append(event.idempotencyKey)
                    binds.append(event.response)
                    binds.append(event.acceptedAtMilliseconds)
                }
                let sql =
                    "INSERT INTO events (sequence, line, idempotency_key, response, accepted_at_ms) VALUES "
                    + values.joined(separator: ", ")
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            }
            for chunk in stride(from: 0, to: effects.count, by: 1_000) {
                let rows = effects[chunk..<min(chunk + 1_000, effects.count)]
                var binds = PostgresBindings(capacity: rows.count * 3)
                var values: [String] = []
                for (index, effect) in rows.enumerated() {
                    let base = index * 3
                    values.append("($\(base + 1), $\(base + 2), $\(base + 3))")
                    binds.append(effect.sequence)
                    binds.append(effect.eventSequence)
                    binds.append(effect.json)
                }
                let sql =
                    "INSERT INTO effects (sequence, event_sequence, json) VALUES " + values.joined(separator: ", ")
                try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            }
        }
    }

    private static func ends(_ connection: PostgresConnection, _ logger: Logger) async throws -> (Int64, Int64) {
        let rows = try await connection.query(
            """
            SELECT (SELECT COALESCE(MAX(sequence), 0) FROM events)::BIGINT,
                   (SELECT COALESCE(MAX(sequence), 0) FROM effects)::BIGINT
            """,
            logger: logger
        ).collect()
        guard let row = rows.first else { return (0, 0) }
        return try row.decode((Int64, Int64).self)
    }

    public func lastEventSequence() async throws -> Int64 {
        try await run("read") { client, logger in
            let rows = try await client.query(
                "SELECT COALESCE(MAX(sequence), 0)::BIGINT FROM events",
                logger: logger
            ).collect()
            return try rows.first?.decode(Int64.self) ?? 0
        }
    }

    public func lastEffectSequence() async throws -> Int64 {
        try await run("read") { client, logger in
            let rows = try await client.query(
                "SELECT COALESCE(MAX(sequence), 0)::BIGINT FROM effects",
                logger: logger
            ).collect()
            return try rows.first?.decode(Int64.self) ?? 0
        }
    }

    public func events(after: Int64, limit: Int) async throws -> [LoggedEvent] {
        guard limit > 0 else { return [] }
        return try await run("read events") { client, logger in
            try await client.query(
                """
                SELECT sequence, line, idempotency_key, response, accepted_at_ms FROM events
                WHERE sequence > \(after) ORDER BY sequence LIMIT \(Int64(limit))
                """,
                logger: logger
            ).collect().map(Self.event(row:))
        }
    }

    public func effects(after: Int64, limit: Int) async throws -> [LoggedEffect] {
        guard limit > 0 else { return [] }
        return try await run("read effects") { client, logger in
            try await client.query(
                """
                SELECT sequence, event_sequence, json FROM effects
                WHERE sequence > \(after) ORDER BY sequence LIMIT \(Int64(limit))
                """,
                logger: logger
            ).collect().map { row in
                let (sequence, event, json) = try row.decode((Int64, Int64, String).self)
                return LoggedEffect(sequence: sequence, eventSequence: event, json: json)
            }
        }
    }

    public func event(idempotencyKey: String) async throws -> LoggedEvent? {
        try await run("read event") { client, logger in
            try await client.query(
                """
                SELECT sequence, line, idempotency_key, response, accepted_at_ms FROM events
                WHERE idempotency_key = \(idempotencyKey)
                """,
                logger: logger
            ).collect().first.map(Self.event(row:))
        }
    }

    private static func event(row: PostgresRow) throws -> LoggedEvent {
        let (sequence, line, key, response, accepted) = try row.decode((Int64, String, String?, String, Int64).self)
        return LoggedEvent(
            sequence: sequence,
            line: line,
            idempotencyKey: key,
            response: response,
            acceptedAtMilliseconds: accepted
        )
    }

    public func saveSnapshot(_ snapshot: EngineSnapshotRecord) async throws {
        try await transaction("save snapshot") { connection, logger in
            try await connection.query("LOCK TABLE events, effects IN SHARE MODE", logger: logger)
            let (lastEvent, lastEffect) = try await Self.ends(connection, logger)
            try StoreSchema.validate(snapshot, lastEvent: lastEvent, lastEffect: lastEffect)
            let hash = StoreSchema.hashText(snapshot.stateHash)
            try await connection.query(
                """
                INSERT INTO snapshots (event_sequence, effect_sequence, state_hash, bytes)
                VALUES (\(snapshot.eventSequence), \(snapshot.effectSequence), \(hash), \(Data(snapshot.bytes)))
                ON CONFLICT (event_sequence) DO UPDATE SET
                    effect_sequence = EXCLUDED.effect_sequence,
                    state_hash = EXCLUDED.state_hash,
                    bytes = EXCLUDED.bytes
                """,
                logger: logger
            )
            try await connection.query(
                """
                DELETE FROM snapshots WHERE event_sequence NOT IN
                    (SELECT event_sequence FROM snapshots ORDER BY event_sequence DESC LIMIT \(
                    Int64(StoreSchema.retainedSnapshots)))
                """,
                logger: logger
            )
        }
    }

    public func latestSnapshot() async throws -> EngineSnapshotRecord? {
        try await run("read snapshot") { client, logger in
            let rows = try await client.query(
                """
                SELECT event_sequence, effect_sequence, state_hash, bytes FROM snapshots
                ORDER BY event_sequence DESC LIMIT 1
                """,
                logger: logger
            ).collect()
            guard let row = rows.first else { return nil }
            let (sequence, effect, hash, bytes) = try row.decode((Int64, Int64, String, Data).self)
            return EngineSnapshotRecord(
                eventSequence: sequence,
                effectSequence: effect,
                stateHash: try StoreSchema.hash(text: hash, snapshot: sequence),
                bytes: [UInt8](bytes)
            )
        }
    }

    /// Event sequences of the stored snapshots, newest first (at most two are kept).
    public func snapshotSequences() async throws -> [Int64] {
        try await run("read snapshots") { client, logger in
            try await client.query("SELECT event_sequence FROM snapshots ORDER BY event_sequence DESC", logger: logger)
                .collect().map { try $0.decode(Int64.self) }
        }
    }

    public func insertAPIKey(_ key: APIKeyRecord) async throws {
        try await transaction("insert api key") { connection, logger in
            let inserted = try await connection.query(
                """
                INSERT INTO api_keys (id, secret_hash, role, account, created_at_ms)
                VALUES (\(key.id), \(key.secretHash), \(key.role.rawValue), \(key.account), \(key.createdAtMilliseconds))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """,
                logger: logger
            ).collect()
            guard !inserted.isEmpty else {
                throw StoreError(.duplicateAPIKey, "api key id \"\(key.id)\" already exists")
            }
        }
    }

    public func apiKey(id: String) async throws -> APIKeyRecord? {
        try await run("read api key") { client, logger in
            let rows = try await client.query(
                "SELECT id, secret_hash, role, account, created_at_ms FROM api_keys WHERE id = \(id)",
                logger: logger
            ).collect()
            guard let row = rows.first else { return nil }
            let (keyID, secretHash, role, account, created) = try row.decode(
                (String, String, String, Int64?, Int64).self
            )
            return APIKeyRecord(
                id: keyID,
                secretHash: secretHash,
                role: try StoreSchema.role(text: role, key: keyID),
                account: account,
                createdAtMilliseconds: created
            )
        }
    }

    /// Cancels the client's run task (closing every pooled connection) and waits for it to end.
    public func close() async throws {
        runner.cancel()
        await runner.value
    }

    // MARK: plumbing

    /// Runs `body` against the pool, passing ``StoreError``s through and wrapping PostgreSQL errors.
    func run<T: Sendable>(
        _ action: String,
        _ body: (PostgresClient, Logger) async throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await body(client, logger)
        } catch {
            throw wrap(error, action)
        }
    }

    /// Runs `body` in one transaction on one leased connection (BEGIN … COMMIT; ROLLBACK when it throws).
    func transaction(
        _ action: String,
        _ body: (PostgresConnection, Logger) async throws -> Void
    ) async throws(StoreError) {
        let logger = logger
        do {
            try await client.withTransaction(logger: logger) { connection in try await body(connection, logger) }
        } catch let error as PostgresTransactionError {
            throw wrap(error.closureError ?? error.beginError ?? error.commitError ?? error, action)
        } catch {
            throw wrap(error, action)
        }
    }

    private func wrap(_ error: any Error, _ action: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if error is CancellationError { return StoreError(.closed, "PostgreSQL \(action) at \(url): cancelled") }
        return StoreError(.database, "PostgreSQL \(action) at \(url): \(Self.describe(error))")
    }

    /// The server's message and SQLSTATE for a `PSQLError` (whose `description` is redacted on purpose), else the
    /// error's reflection.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError, let info = error.serverInfo {
            return "\(info[.message] ?? "server error") (SQLSTATE \(info[.sqlState] ?? "?"))"
        }
        return String(reflecting: error)
    }
}
