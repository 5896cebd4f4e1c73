/// The versioned schema both backends share: the same tables, the same columns, the same migration names.
///
/// SQLite tracks applied migrations in GRDB's `grdb_migrations(identifier)` table; PostgreSQL mirrors that table
/// under the same name, so `SELECT identifier FROM grdb_migrations` lists the applied versions on either backend.
/// A migration is never edited once released: a schema change is a new version appended to ``versions``.
enum StoreSchema {
    /// The SQL dialect a migration is written for.
    enum Dialect: Sendable {
        case sqlite, postgres
    }

    /// Migration names in the order they apply.
    static let versions = ["v1", "v2", "v3"]

    /// The statements of migration `version` in `dialect`.
    static func statements(_ version: String, _ dialect: Dialect) -> [String] {
        switch version {
        case "v1": v1(dialect)
        case "v2": v2(dialect)
        case "v3": v3(dialect)
        default: preconditionFailure("unknown migration \(version)")
        }
    }

    /// v1: events, effects, snapshots, API keys.
    private static func v1(_ dialect: Dialect) -> [String] {
        let integer = dialect == .sqlite ? "INTEGER" : "BIGINT"
        let blob = dialect == .sqlite ? "BLOB" : "BYTEA"
        return [
            """
            CREATE TABLE events (
                sequence \(integer) PRIMARY KEY,
                line TEXT NOT NULL,
                idempotency_key TEXT UNIQUE,
                response TEXT NOT NULL,
                accepted_at_ms \(integer) NOT NULL
            )
            """,
            """
            CREATE TABLE effects (
                sequence \(integer) PRIMARY KEY,
                event_sequence \(integer) NOT NULL,
                json TEXT NOT NULL
            )
            """,
            "CREATE INDEX effects_event_sequence ON effects(event_sequence)",
            """
            CREATE TABLE snapshots (
                event_sequence \(integer) PRIMARY KEY,
                effect_sequence \(integer) NOT NULL,
                state_hash TEXT NOT NULL,
                bytes \(blob) NOT NULL
            )
            """,
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                secret_hash TEXT NOT NULL,
                role TEXT NOT NULL,
                account \(integer),
                created_at_ms \(integer) NOT NULL
            )
            """,
        ]
    }

    /// v2: proof-of-liabilities epochs (docs/PROOFS.md). Totals are 128-bit raw fixed point (value × 10⁸) as
    /// decimal integer text, hashes 64 lowercase hex characters, `liabilities` an ``EpochLiabilityBlob``.
    private static func v2(_ dialect: Dialect) -> [String] {
        let integer = dialect == .sqlite ? "INTEGER" : "BIGINT"
        let blob = dialect == .sqlite ? "BLOB" : "BYTEA"
        return [
            """
            CREATE TABLE proof_epochs (
                epoch \(integer) PRIMARY KEY,
                event_sequence \(integer) NOT NULL,
                created_at_ms \(integer) NOT NULL,
                secret \(blob) NOT NULL,
                root_hash TEXT NOT NULL,
                tree_hash TEXT NOT NULL,
                leaf_count \(integer) NOT NULL,
                pieces_per_account \(integer) NOT NULL,
                total_liabilities TEXT NOT NULL,
                total_maintenance TEXT NOT NULL,
                total_deficit TEXT NOT NULL,
                under_maintenance_count \(integer) NOT NULL,
                negative_equity_count \(integer) NOT NULL,
                liabilities \(blob) NOT NULL
            )
            """
        ]
    }

    /// v3: drops the index `effects(event_sequence)` (issue 6). No query reads effects by event (they are read by
    /// `sequence`, the primary key), yet every append updated it: on SQLite one more B-tree page per group commit
    /// rewritten into the WAL, about a fifth of the WAL's bytes per event (1.39 → 1.10 KB at 35 events per commit).
    /// The same statement on both dialects; `IF EXISTS` so a database that never had it migrates too.
    private static func v3(_ dialect: Dialect) -> [String] {
        ["DROP INDEX IF EXISTS effects_event_sequence"]
    }

    /// How many snapshots the log keeps (the newest ones); older ones are deleted when a new one is saved.
    static let retainedSnapshots = 2

    /// The state hash as stored: 16 lowercase hex digits.
    static func hashText(_ hash: UInt64) -> String {
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Parses a stored state hash.
    static func hash(text: String, snapshot: Int64) throws(StoreError) -> UInt64 {
        guard text.utf8.count == 16, let value = UInt64(text, radix: 16) else {
            throw StoreError(.corruptRecord, "snapshot \(snapshot): state_hash \"\(text)\" is not 16 hex digits")
        }
        return value
    }

    /// Parses a stored role.
    static func role(text: String, key: String) throws(StoreError) -> APIKeyRole {
        guard let role = APIKeyRole(rawValue: text) else {
            throw StoreError(
                .corruptRecord,
                "api key \(key): role \"\(text)\" is not one of "
                    + APIKeyRole.allCases.map(\.rawValue).joined(separator: ", ")
            )
        }
        return role
    }
}

extension StoreSchema {
    /// A snapshot must describe a point the log has reached.
    static func validate(
        _ snapshot: EngineSnapshotRecord,
        lastEvent: Int64,
        lastEffect: Int64
    ) throws(StoreError) {
        guard snapshot.eventSequence >= 0, snapshot.eventSequence <= lastEvent else {
            throw StoreError(
                .invalidArgument,
                "snapshot eventSequence \(snapshot.eventSequence) is beyond the log (last event \(lastEvent))"
            )
        }
        guard snapshot.effectSequence >= 0, snapshot.effectSequence <= lastEffect else {
            throw StoreError(
                .invalidArgument,
                "snapshot effectSequence \(snapshot.effectSequence) is beyond the log (last effect \(lastEffect))"
            )
        }
    }
}
