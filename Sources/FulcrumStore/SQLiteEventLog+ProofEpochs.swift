import Foundation
import GRDB

/// Proof-of-liabilities epochs in the `proof_epochs` table (migration v2).
extension SQLiteEventLog {
    public func saveProofEpoch(_ record: ProofEpochRecord) async throws {
        // Encoded (and its ids checked) before the write transaction, so the writer is held only for the insert.
        let blob = Data(try EpochLiabilityBlob.encode(record.liabilities, epoch: record.epoch))
        let row = StoreSchema.ProofEpochRow(record.summary)
        try await run("save proof epoch \(record.epoch)") { [writer] in
            try await writer.write { db in
                let lastEpoch = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(epoch), 0) FROM proof_epochs") ?? 0
                let previous = try Int64.fetchOne(
                    db,
                    sql: "SELECT event_sequence FROM proof_epochs WHERE epoch = ?",
                    arguments: [lastEpoch]
                )
                let lastEvent = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM events") ?? 0
                try StoreSchema.validate(
                    record,
                    lastEpoch: lastEpoch,
                    previousEventSequence: previous,
                    lastEvent: lastEvent
                )
                try db.execute(
                    sql: """
                        INSERT INTO proof_epochs (\(StoreSchema.proofEpochSummaryColumns), secret, liabilities)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        row.epoch, row.eventSequence, row.createdAtMilliseconds, row.rootHash, row.treeHash,
                        row.leafCount, row.piecesPerAccount, row.totalLiabilities, row.totalMaintenance,
                        row.totalDeficit, row.underMaintenanceCount, row.negativeEquityCount, Data(record.secret),
                        blob,
                    ]
                )
            }
        }
    }

    public func proofEpochs(before: Int64?, limit: Int) async throws -> [ProofEpochSummary] {
        guard limit > 0 else { return [] }
        return try await run("read proof epochs") { [writer] in
            try await writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(StoreSchema.proofEpochSummaryColumns) FROM proof_epochs
                        WHERE epoch < ? ORDER BY epoch DESC LIMIT ?
                        """,
                    arguments: [before ?? Int64.max, limit]
                ).map { row in try StoreSchema.summary(try Self.proofEpochRow(row)) }
            }
        }
    }

    public func proofEpochSummary(_ epoch: Int64) async throws -> ProofEpochSummary? {
        try await run("read proof epoch \(epoch)") { [writer] in
            try await writer.read { db in
                try Row.fetchOne(
                    db,
                    sql: "SELECT \(StoreSchema.proofEpochSummaryColumns) FROM proof_epochs WHERE epoch = ?",
                    arguments: [epoch]
                ).map { row in try StoreSchema.summary(try Self.proofEpochRow(row)) }
            }
        }
    }

    public func proofEpoch(_ epoch: Int64) async throws -> ProofEpochRecord? {
        let stored: (StoreSchema.ProofEpochRow, [UInt8], [UInt8])? = try await run("read proof epoch \(epoch)") {
            [writer] in
            try await writer.read { db in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT \(StoreSchema.proofEpochSummaryColumns), secret, liabilities FROM proof_epochs
                            WHERE epoch = ?
                            """,
                        arguments: [epoch]
                    )
                else { return nil }
                let secret: Data = try Self.column(row, 12, "secret", epoch: epoch)
                let blob: Data = try Self.column(row, 13, "liabilities", epoch: epoch)
                return (try Self.proofEpochRow(row), [UInt8](secret), [UInt8](blob))
            }
        }
        guard let (row, secret, blob) = stored else { return nil }
        // Decoded outside the database read: a million accounts take a moment.
        return ProofEpochRecord(
            summary: try StoreSchema.summary(row),
            secret: try StoreSchema.secret(secret, epoch: epoch),
            liabilities: try EpochLiabilityBlob.decode(blob, epoch: epoch)
        )
    }

    public func latestProofEpoch() async throws -> Int64 {
        try await run("read proof epochs") { [writer] in
            try await writer.read { db in
                try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(epoch), 0) FROM proof_epochs") ?? 0
            }
        }
    }

    /// The summary columns of a row, each decoded with a ``StoreError`` naming the epoch and column on failure.
    private static func proofEpochRow(_ row: Row) throws(StoreError) -> StoreSchema.ProofEpochRow {
        try StoreSchema.ProofEpochRow.decoded(
            integer: { (index, name, epoch) throws(StoreError) in try column(row, index, name, epoch: epoch) },
            text: { (index, name, epoch) throws(StoreError) in try column(row, index, name, epoch: epoch) }
        )
    }

    private static func column<T: DatabaseValueConvertible>(
        _ row: Row,
        _ index: Int,
        _ name: String,
        epoch: Int64?
    ) throws(StoreError) -> T {
        do {
            return try row.decode(T.self, atIndex: index)
        } catch {
            throw StoreError(
                .corruptRecord,
                "proof epoch \(epoch.map(String.init) ?? "?"): column \(name) \(row[index] as DatabaseValue)"
                    + " is not a \(T.self)"
            )
        }
    }

    /// Runs one raw SQL statement (tests use it to corrupt rows on purpose).
    func execute(sql: String) async throws {
        try await run("execute") { [writer] in
            try await writer.write { db in try db.execute(sql: sql) }
        }
    }
}
