import FulcrumCore

/// The `proof_epochs` columns as both backends read and write them, and the checks on a stored epoch.
extension StoreSchema {
    /// The summary columns, in the order ``ProofEpochRow`` lists them.
    static let proofEpochSummaryColumns = """
        epoch, event_sequence, created_at_ms, root_hash, tree_hash, leaf_count, pieces_per_account, \
        total_liabilities, total_maintenance, total_deficit, under_maintenance_count, negative_equity_count
        """

    /// One row's summary columns as stored (totals as decimal text of their raw 128-bit value).
    struct ProofEpochRow: Sendable {
        var epoch: Int64
        var eventSequence: Int64
        var createdAtMilliseconds: Int64
        var rootHash: String
        var treeHash: String
        var leafCount: Int64
        var piecesPerAccount: Int64
        var totalLiabilities: String
        var totalMaintenance: String
        var totalDeficit: String
        var underMaintenanceCount: Int64
        var negativeEquityCount: Int64
    }

    /// Parses and checks a stored row.
    ///
    /// - Throws: ``StoreError`` `corruptRecord` naming the epoch, the column and the value.
    static func summary(_ row: ProofEpochRow) throws(StoreError) -> ProofEpochSummary {
        func total(_ text: String, _ column: String) throws(StoreError) -> MoneySum {
            guard let raw = Int128(text, radix: 10) else {
                throw StoreError(
                    .corruptRecord,
                    "proof epoch \(row.epoch): \(column) \"\(text)\" is not a 128-bit integer"
                )
            }
            return MoneySum(raw: raw)
        }
        guard (1...Int64(maximumPiecesPerAccount)).contains(row.piecesPerAccount) else {
            throw StoreError(
                .corruptRecord,
                "proof epoch \(row.epoch): pieces_per_account \(row.piecesPerAccount) is not in"
                    + " 1...\(maximumPiecesPerAccount)"
            )
        }
        let summary = ProofEpochSummary(
            epoch: row.epoch,
            eventSequence: row.eventSequence,
            createdAtMilliseconds: row.createdAtMilliseconds,
            rootHash: row.rootHash,
            treeHash: row.treeHash,
            leafCount: row.leafCount,
            piecesPerAccount: Int(row.piecesPerAccount),
            totalLiabilities: try total(row.totalLiabilities, "total_liabilities"),
            totalMaintenanceMargin: try total(row.totalMaintenance, "total_maintenance"),
            totalDeficit: try total(row.totalDeficit, "total_deficit"),
            underMaintenanceCount: row.underMaintenanceCount,
            negativeEquityCount: row.negativeEquityCount
        )
        if let problem = problem(summary) {
            throw StoreError(.corruptRecord, "proof epoch \(row.epoch): \(problem)")
        }
        return summary
    }

    /// A stored secret, checked.
    static func secret(_ bytes: [UInt8], epoch: Int64) throws(StoreError) -> [UInt8] {
        guard bytes.count == 32 else {
            throw StoreError(.corruptRecord, "proof epoch \(epoch): secret has \(bytes.count) bytes, expected 32")
        }
        return bytes
    }

    /// The most leaves per account a proof can carry (`InclusionProof.maximumPieces`).
    static let maximumPiecesPerAccount = 16
    /// The largest tree a proof can address (`2^InclusionProof.maximumDepth`).
    static let maximumLeafCount: Int64 = 1 << 40

    /// What is wrong with a summary, or `nil`.
    static func problem(_ summary: ProofEpochSummary) -> String? {
        if summary.epoch < 1 { return "epoch \(summary.epoch) is not positive" }
        if summary.eventSequence < 0 { return "eventSequence \(summary.eventSequence) is negative" }
        for (name, hash) in [("rootHash", summary.rootHash), ("treeHash", summary.treeHash)] where !isDigestHex(hash) {
            return "\(name) \"\(hash)\" is not 64 lowercase hex characters"
        }
        let leaves = summary.leafCount
        if leaves < 2 || leaves > maximumLeafCount || leaves & (leaves - 1) != 0 {
            return "leafCount \(leaves) is not a power of two in 2...2^40"
        }
        if !(1...maximumPiecesPerAccount).contains(summary.piecesPerAccount) {
            return "piecesPerAccount \(summary.piecesPerAccount) is not in 1...\(maximumPiecesPerAccount)"
        }
        for (name, total) in [
            ("totalLiabilities", summary.totalLiabilities), ("totalMaintenanceMargin", summary.totalMaintenanceMargin),
            ("totalDeficit", summary.totalDeficit),
        ] where total.raw < 0 {
            return "\(name) \(total) is negative"
        }
        if summary.underMaintenanceCount < 0 { return "underMaintenanceCount \(summary.underMaintenanceCount) < 0" }
        if summary.negativeEquityCount < 0 { return "negativeEquityCount \(summary.negativeEquityCount) < 0" }
        return nil
    }

    /// Whether `text` is 64 lowercase hexadecimal characters.
    static func isDigestHex(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy {
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            }
    }

    /// Checks a record before it is stored, against the log's current ends: the epoch continues the stored epochs
    /// (`last + 1`), its event sequence is one the log has reached and not before the previous epoch's.
    ///
    /// - Throws: ``StoreError`` `sequenceGap` naming the epoch when it does not continue; `invalidArgument`
    ///   naming the epoch, the field and the value otherwise.
    static func validate(
        _ record: ProofEpochRecord,
        lastEpoch: Int64,
        previousEventSequence: Int64?,
        lastEvent: Int64
    ) throws(StoreError) {
        let epoch = record.epoch
        guard epoch == lastEpoch + 1 else {
            throw StoreError(
                .sequenceGap,
                "proof epoch \(epoch) does not continue the epochs: expected \(lastEpoch + 1)"
                    + " (last stored epoch is \(lastEpoch))"
            )
        }
        if let problem = problem(record.summary) {
            throw StoreError(.invalidArgument, "proof epoch \(epoch): \(problem)")
        }
        guard record.summary.eventSequence <= lastEvent else {
            throw StoreError(
                .invalidArgument,
                "proof epoch \(epoch): eventSequence \(record.summary.eventSequence) is beyond the log"
                    + " (last event \(lastEvent))"
            )
        }
        if let previous = previousEventSequence, record.summary.eventSequence < previous {
            throw StoreError(
                .invalidArgument,
                "proof epoch \(epoch): eventSequence \(record.summary.eventSequence) is before epoch"
                    + " \(lastEpoch)'s \(previous)"
            )
        }
        guard record.secret.count == 32 else {
            throw StoreError(
                .invalidArgument,
                "proof epoch \(epoch): secret has \(record.secret.count) bytes, expected 32"
            )
        }
        let count = Int64(record.liabilities.count)
        let (pieces, overflow) = count.multipliedReportingOverflow(by: Int64(record.summary.piecesPerAccount))
        guard !overflow, pieces <= record.summary.leafCount else {
            throw StoreError(
                .invalidArgument,
                "proof epoch \(epoch): \(count) accounts × \(record.summary.piecesPerAccount) pieces do not fit"
                    + " leafCount \(record.summary.leafCount)"
            )
        }
        guard record.summary.underMaintenanceCount <= count, record.summary.negativeEquityCount <= count else {
            throw StoreError(
                .invalidArgument,
                "proof epoch \(epoch): the counts (\(record.summary.underMaintenanceCount),"
                    + " \(record.summary.negativeEquityCount)) exceed the \(count) accounts"
            )
        }
    }
}

extension StoreSchema.ProofEpochRow {
    /// The row of a stored summary.
    init(_ summary: ProofEpochSummary) {
        self.init(
            epoch: summary.epoch,
            eventSequence: summary.eventSequence,
            createdAtMilliseconds: summary.createdAtMilliseconds,
            rootHash: summary.rootHash,
            treeHash: summary.treeHash,
            leafCount: summary.leafCount,
            piecesPerAccount: Int64(summary.piecesPerAccount),
            totalLiabilities: String(summary.totalLiabilities.raw),
            totalMaintenance: String(summary.totalMaintenanceMargin.raw),
            totalDeficit: String(summary.totalDeficit.raw),
            underMaintenanceCount: summary.underMaintenanceCount,
            negativeEquityCount: summary.negativeEquityCount
        )
    }

    /// Decodes the summary columns (``StoreSchema/proofEpochSummaryColumns`` order) with the backend's typed column
    /// readers, which throw a ``StoreError`` naming the epoch (`nil` while the epoch itself is read) and the column.
    static func decoded(
        integer: (_ index: Int, _ name: String, _ epoch: Int64?) throws(StoreError) -> Int64,
        text: (_ index: Int, _ name: String, _ epoch: Int64?) throws(StoreError) -> String
    ) throws(StoreError) -> Self {
        let epoch = try integer(0, "epoch", nil)
        return Self(
            epoch: epoch,
            eventSequence: try integer(1, "event_sequence", epoch),
            createdAtMilliseconds: try integer(2, "created_at_ms", epoch),
            rootHash: try text(3, "root_hash", epoch),
            treeHash: try text(4, "tree_hash", epoch),
            leafCount: try integer(5, "leaf_count", epoch),
            piecesPerAccount: try integer(6, "pieces_per_account", epoch),
            totalLiabilities: try text(7, "total_liabilities", epoch),
            totalMaintenance: try text(8, "total_maintenance", epoch),
            totalDeficit: try text(9, "total_deficit", epoch),
            underMaintenanceCount: try integer(10, "under_maintenance_count", epoch),
            negativeEquityCount: try integer(11, "negative_equity_count", epoch)
        )
    }
}
