import Foundation
import Logging
import PostgresNIO

/// Proof-of-liabilities epochs in the `proof_epochs` table (migration v2).
extension PostgresEventLog {
    public func saveProofEpoch(_ record: ProofEpochRecord) async throws {
        // Encoded (and its ids checked) before the transaction, so the table lock is held only for the insert.
        let blob = Data(try EpochLiabilityBlob.encode(record.liabilities, epoch: record.epoch))
        let secret = Data(record.secret)
        let row = StoreSchema.ProofEpochRow(record.summary)
        try await transaction("save proof epoch \(record.epoch)") { connection, logger in
            // Serializes epoch numbering between writers; readers are not blocked.
            try await connection.query("LOCK TABLE proof_epochs IN EXCLUSIVE MODE", logger: logger)
            let rows = try await connection.query(
                """
                SELECT (SELECT COALESCE(MAX(epoch), 0) FROM proof_epochs)::BIGINT,
                       (SELECT event_sequence FROM proof_epochs ORDER BY epoch DESC LIMIT 1)::BIGINT,
                       (SELECT COALESCE(MAX(sequence), 0) FROM events)::BIGINT
                """,
                logger: logger
            ).collect()
            guard let ends = rows.first else { throw StoreError(.database, "PostgreSQL returned no row") }
            let (lastEpoch, previous, lastEvent) = try ends.decode((Int64, Int64?, Int64).self)
            try StoreSchema.validate(
                record,
                lastEpoch: lastEpoch,
                previousEventSequence: previous,
                lastEvent: lastEvent
            )
            try await connection.query(
                """
                INSERT INTO proof_epochs (\(unescaped: StoreSchema.proofEpochSummaryColumns), secret, liabilities)
                VALUES (\(row.epoch), \(row.eventSequence), \(row.createdAtMilliseconds), \(row.rootHash),
                        \(row.treeHash), \(row.leafCount), \(row.piecesPerAccount), \(row.totalLiabilities),
                        \(row.totalMaintenance), \(row.totalDeficit), \(row.underMaintenanceCount),
                        \(row.negativeEquityCount), \(secret), \(blob))
                """,
                logger: logger
            )
        }
    }

    public func proofEpochs(before: Int64?, limit: Int) async throws -> [ProofEpochSummary] {
        guard limit > 0 else { return [] }
        return try await run("read proof epochs") { client, logger in
            try await client.query(
                """
                SELECT \(unescaped: StoreSchema.proofEpochSummaryColumns) FROM proof_epochs
                WHERE epoch < \(before ?? Int64.max) ORDER BY epoch DESC LIMIT \(Int64(limit))
                """,
                logger: logger
            ).collect().map { row in try StoreSchema.summary(try Self.proofEpochRow(row)) }
        }
    }

    public func proofEpochSummary(_ epoch: Int64) async throws -> ProofEpochSummary? {
        try await run("read proof epoch \(epoch)") { client, logger in
            try await client.query(
                "SELECT \(unescaped: StoreSchema.proofEpochSummaryColumns) FROM proof_epochs WHERE epoch = \(epoch)",
                logger: logger
            ).collect().first.map { row in try StoreSchema.summary(try Self.proofEpochRow(row)) }
        }
    }

    public func proofEpoch(_ epoch: Int64) async throws -> ProofEpochRecord? {
        let stored: (StoreSchema.ProofEpochRow, [UInt8], [UInt8])? = try await run("read proof epoch \(epoch)") {
            client,
            logger in
            let rows = try await client.query(
                """
                SELECT \(unescaped: StoreSchema.proofEpochSummaryColumns), secret, liabilities FROM proof_epochs
                WHERE epoch = \(epoch)
                """,
                logger: logger
            ).collect()
            guard let row = rows.first else { return nil }
            let columns = row.makeRandomAccess()
            let secret: Data = try Self.column(columns, 12, "secret", epoch: epoch)
            let blob: Data = try Self.column(columns, 13, "liabilities", epoch: epoch)
            return (try Self.proofEpochRow(row), [UInt8](secret), [UInt8](blob))
        }
        guard let (row, secret, blob) = stored else { return nil }
        return ProofEpochRecord(
            summary: try StoreSchema.summary(row),
            secret: try StoreSchema.secret(secret, epoch: epoch),
            liabilities: try EpochLiabilityBlob.decode(blob, epoch: epoch)
        )
    }

    public func latestProofEpoch() async throws -> Int64 {
        try await run("read proof epochs") { client, logger in
            let rows = try await client.query(
                "SELECT COALESCE(MAX(epoch), 0)::BIGINT FROM proof_epochs",
                logger: logger
            ).collect()
            return try rows.first?.decode(Int64.self) ?? 0
        }
    }

    /// The summary columns of a row, each decoded with a ``StoreError`` naming the epoch and column on failure.
    private static func proofEpochRow(_ row: PostgresRow) throws(StoreError) -> StoreSchema.ProofEpochRow {
        let columns = row.makeRandomAccess()
        return try StoreSchema.ProofEpochRow.decoded(
            integer: { (index, name, epoch) throws(StoreError) in try column(columns, index, name, epoch: epoch) },
            text: { (index, name, epoch) throws(StoreError) in try column(columns, index, name, epoch: epoch) }
        )
    }

    private static func column<T: PostgresDecodable>(
        _ columns: PostgresRandomAccessRow,
        _ index: Int,
        _ name: String,
        epoch: Int64?
    ) throws(StoreError) -> T {
        do {
            return try columns[index].decode(T.self, context: .default)
        } catch {
            throw StoreError(
                .corruptRecord,
                "proof epoch \(epoch.map(String.init) ?? "?"): column \(name) is not a \(T.self)"
            )
        }
    }

    /// Runs one raw SQL statement (tests use it to corrupt rows on purpose).
    func execute(sql: String) async throws {
        try await run("execute") { client, logger in
            _ = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        }
    }
}
