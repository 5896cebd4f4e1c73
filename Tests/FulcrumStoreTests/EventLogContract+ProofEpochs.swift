import FulcrumCore
import FulcrumStore
import Testing

/// The proof-epoch part of the contract: numbering, validation, listing, full records, corruption, reopen.
extension EventLogContract {
    /// A record whose totals exceed 64 bits (the 128-bit text must round-trip) and whose values depend on `epoch`.
    static func epochRecord(_ epoch: Int64, eventSequence: Int64, accounts: Int = 3) -> ProofEpochRecord {
        let liabilities = (0..<accounts).map { index in
            EpochLiability(
                account: UInt64(index * 2 + 1),
                equity: Money(raw: Int64(index) * 100_000_000 - 50_000_000 + epoch),
                maintenanceMargin: Money(raw: Int64(index) * 1_000_000)
            )
        }
        let summary = ProofEpochSummary(
            epoch: epoch,
            eventSequence: eventSequence,
            createdAtMilliseconds: 1_700_000_000_000 + epoch,
            rootHash: String(repeating: String(epoch % 10), count: 63) + "a",
            treeHash: String(repeating: "b", count: 63) + String(epoch % 10),
            leafCount: 8,
            piecesPerAccount: 2,
            totalLiabilities: MoneySum(raw: Int128(Int64.max) * 3 + Int128(epoch)),
            totalMaintenanceMargin: MoneySum(raw: 3_000_000),
            totalDeficit: MoneySum(raw: 50_000_000),
            underMaintenanceCount: min(1, Int64(accounts)),
            negativeEquityCount: min(1, Int64(accounts))
        )
        let secret = (0..<32).map { UInt8($0) ^ UInt8(truncatingIfNeeded: epoch) }
        return ProofEpochRecord(summary: summary, secret: secret, liabilities: liabilities)
    }

    func proofEpochs() async throws {
        let log = try await fresh()
        #expect(try await log.latestProofEpoch() == 0)
        #expect(try await log.proofEpochs(before: nil, limit: 10).isEmpty)
        #expect(try await log.proofEpochSummary(1) == nil)
        #expect(try await log.proofEpoch(1) == nil)
        try await log.append(events: (1...5).map { Self.event(Int64($0)) }, effects: [])
        let records = [
            Self.epochRecord(1, eventSequence: 2),
            Self.epochRecord(2, eventSequence: 2),
            Self.epochRecord(3, eventSequence: 5, accounts: 0),
        ]
        for record in records { try await log.saveProofEpoch(record) }
        #expect(try await log.latestProofEpoch() == 3)
        let summaries = records.map(\.summary)
        #expect(try await log.proofEpochs(before: nil, limit: 10) == summaries.reversed())
        #expect(try await log.proofEpochs(before: nil, limit: 2) == [summaries[2], summaries[1]])
        #expect(try await log.proofEpochs(before: 3, limit: 10) == [summaries[1], summaries[0]])
        #expect(try await log.proofEpochs(before: 1, limit: 10).isEmpty)
        #expect(try await log.proofEpochs(before: nil, limit: 0).isEmpty)
        #expect(try await log.proofEpochSummary(2) == summaries[1])
        #expect(try await log.proofEpoch(2) == records[1])
        #expect(try await log.proofEpoch(3) == records[2])
        #expect(try await log.proofEpoch(4) == nil)

        // Rejected records leave the epochs unchanged.
        await Self.expectStoreError(.sequenceGap, "proof epoch 3 does not continue the epochs: expected 4") {
            try await log.saveProofEpoch(Self.epochRecord(3, eventSequence: 5))
        }
        await Self.expectStoreError(.sequenceGap, "proof epoch 5") {
            try await log.saveProofEpoch(Self.epochRecord(5, eventSequence: 5))
        }
        await Self.expectStoreError(.invalidArgument, "eventSequence 6 is beyond the log") {
            try await log.saveProofEpoch(Self.epochRecord(4, eventSequence: 6))
        }
        await Self.expectStoreError(.invalidArgument, "eventSequence 4 is before epoch 3's 5") {
            try await log.saveProofEpoch(Self.epochRecord(4, eventSequence: 4))
        }
        var shortSecret = Self.epochRecord(4, eventSequence: 5)
        shortSecret.secret.removeLast()
        await Self.expectStoreError(.invalidArgument, "proof epoch 4: secret has 31 bytes") {
            try await log.saveProofEpoch(shortSecret)
        }
        var upperRoot = Self.epochRecord(4, eventSequence: 5)
        upperRoot.summary.rootHash = upperRoot.summary.rootHash.uppercased()
        await Self.expectStoreError(.invalidArgument, "rootHash") { try await log.saveProofEpoch(upperRoot) }
        var oddLeaves = Self.epochRecord(4, eventSequence: 5)
        oddLeaves.summary.leafCount = 6
        await Self.expectStoreError(.invalidArgument, "leafCount 6") { try await log.saveProofEpoch(oddLeaves) }
        var tooFewLeaves = Self.epochRecord(4, eventSequence: 5)
        tooFewLeaves.summary.leafCount = 4
        await Self.expectStoreError(.invalidArgument, "3 accounts × 2 pieces") {
            try await log.saveProofEpoch(tooFewLeaves)
        }
        var unsorted = Self.epochRecord(4, eventSequence: 5)
        unsorted.liabilities.swapAt(0, 1)
        await Self.expectStoreError(.invalidArgument, "liabilities[1].account 1 does not increase") {
            try await log.saveProofEpoch(unsorted)
        }
        var negativeTotal = Self.epochRecord(4, eventSequence: 5)
        negativeTotal.summary.totalDeficit = MoneySum(raw: -1)
        await Self.expectStoreError(.invalidArgument, "totalDeficit") { try await log.saveProofEpoch(negativeTotal) }
        #expect(try await log.latestProofEpoch() == 3)
        #expect(try await log.proofEpochs(before: nil, limit: 10) == summaries.reversed())

        // A big epoch (1,000 accounts, totals beyond 64 bits) round-trips exactly.
        let big = Self.epochRecord(4, eventSequence: 5, accounts: 1_000)
        var bigger = big
        bigger.summary.leafCount = 2_048
        try await log.saveProofEpoch(bigger)
        #expect(try await log.proofEpoch(4) == bigger)
        try await log.close()
    }

    func corruptProofEpochsAreErrors() async throws {
        let log = try await fresh()
        try await log.append(events: [Self.event(1)], effects: [])
        for epoch in Int64(1)...3 { try await log.saveProofEpoch(Self.epochRecord(epoch, eventSequence: 1)) }
        try await execute(log, "UPDATE proof_epochs SET liabilities = substr(liabilities, 1, 20) WHERE epoch = 1")
        await Self.expectStoreError(.corruptRecord, "proof epoch 1: liabilities blob declares 3 accounts") {
            _ = try await log.proofEpoch(1)
        }
        #expect(try await log.proofEpochSummary(1) == Self.epochRecord(1, eventSequence: 1).summary)
        try await execute(log, "UPDATE proof_epochs SET total_liabilities = '12x' WHERE epoch = 2")
        await Self.expectStoreError(.corruptRecord, "proof epoch 2: total_liabilities \"12x\"") {
            _ = try await log.proofEpochSummary(2)
        }
        await Self.expectStoreError(.corruptRecord, "proof epoch 2") {
            _ = try await log.proofEpochs(before: nil, limit: 10)
        }
        try await execute(log, "UPDATE proof_epochs SET root_hash = 'not-a-hash' WHERE epoch = 3")
        await Self.expectStoreError(.corruptRecord, "proof epoch 3: rootHash \"not-a-hash\"") {
            _ = try await log.proofEpoch(3)
        }
        try await execute(log, "UPDATE proof_epochs SET secret = substr(secret, 1, 4) WHERE epoch = 3")
        try await execute(
            log,
            "UPDATE proof_epochs SET root_hash = '\(Self.epochRecord(3, eventSequence: 1).summary.rootHash)' WHERE epoch = 3"
        )
        await Self.expectStoreError(.corruptRecord, "proof epoch 3: secret has 4 bytes") {
            _ = try await log.proofEpoch(3)
        }
        // Numbering still continues after the corrupt rows.
        #expect(try await log.latestProofEpoch() == 3)
        try await log.saveProofEpoch(Self.epochRecord(4, eventSequence: 1))
        #expect(try await log.proofEpoch(4) == Self.epochRecord(4, eventSequence: 1))
        try await log.close()
    }

    func proofEpochsSurviveReopen() async throws {
        let log = try await fresh()
        try await log.append(events: [Self.event(1), Self.event(2)], effects: [])
        let first = Self.epochRecord(1, eventSequence: 1)
        let second = Self.epochRecord(2, eventSequence: 2)
        try await log.saveProofEpoch(first)
        try await log.saveProofEpoch(second)
        try await log.close()
        let reopened = try await reopen(log)
        try await reopened.migrate()
        #expect(try await reopened.latestProofEpoch() == 2)
        #expect(try await reopened.proofEpoch(1) == first)
        #expect(try await reopened.proofEpoch(2) == second)
        try await reopened.saveProofEpoch(Self.epochRecord(3, eventSequence: 2))
        #expect(try await reopened.latestProofEpoch() == 3)
        try await reopened.close()
    }

    /// A database migrated before v2 (events, no `proof_epochs`) gains the table on the next `migrate()` and keeps
    /// its events.
    func upgradeFromV1KeepsTheLog() async throws {
        let log = try await fresh()
        try await log.append(events: [Self.event(1)], effects: [])
        try await execute(log, "DROP TABLE proof_epochs")
        try await execute(log, "DELETE FROM grdb_migrations WHERE identifier = 'v2'")
        await Self.expectStoreError(.database, "proof_epochs") { _ = try await log.latestProofEpoch() }
        try await log.migrate()
        #expect(try await log.events(after: 0, limit: 10) == [Self.event(1)])
        #expect(try await log.latestProofEpoch() == 0)
        try await log.saveProofEpoch(Self.epochRecord(1, eventSequence: 1))
        #expect(try await log.latestProofEpoch() == 1)
        try await log.close()
    }

    /// A database migrated before v3 (with the index `effects_event_sequence`) loses the index on the next
    /// `migrate()` and keeps its events and effects; appends go on.
    func upgradeFromV2DropsTheEffectsIndex() async throws {
        let log = try await fresh()
        try await log.append(events: [Self.event(1), Self.event(2)], effects: [Self.effect(1, event: 2)])
        try await execute(log, "CREATE INDEX effects_event_sequence ON effects(event_sequence)")
        try await execute(log, "DELETE FROM grdb_migrations WHERE identifier = 'v3'")
        try await log.migrate()
        // Creating the index again succeeds only because v3 dropped it (this also checks it on both dialects).
        try await execute(log, "CREATE INDEX effects_event_sequence ON effects(event_sequence)")
        try await execute(log, "DROP INDEX effects_event_sequence")
        #expect(try await log.events(after: 0, limit: 10) == [Self.event(1), Self.event(2)])
        #expect(try await log.effects(after: 0, limit: 10) == [Self.effect(1, event: 2)])
        try await log.append(events: [Self.event(3)], effects: [Self.effect(2, event: 3)])
        #expect(try await log.lastEffectSequence() == 2)
        try await log.close()
    }
}
