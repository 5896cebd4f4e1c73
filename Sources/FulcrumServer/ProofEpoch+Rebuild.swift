import FulcrumCore
import FulcrumProofs
import FulcrumStore

/// Building an epoch from liabilities, and rebuilding a stored one with its root checked.
extension ProofEpoch {
    /// Builds the tree of `accounts` and the record to store.
    ///
    /// - Throws: ``APIError`` 422 when the tree cannot be built (an account the proof format cannot hold).
    static func build(
        accounts: [LiabilityAccount],
        epoch: Int64,
        secret: EpochSecret,
        eventSequence: Int64,
        createdAtMilliseconds: Int64,
        configuration: LiabilityTreeConfiguration = LiabilityTreeConfiguration()
    ) throws(APIError) -> (epoch: ProofEpoch, record: ProofEpochRecord) {
        let tree: LiabilityTree
        do {
            tree = try LiabilityTree(
                accounts: accounts,
                epoch: UInt64(epoch),
                secret: secret,
                configuration: configuration
            )
        } catch {
            throw APIError(status: 422, code: "proof-failed", message: error.description)
        }
        let summary = Self.summary(
            tree,
            epoch: epoch,
            eventSequence: eventSequence,
            createdAtMilliseconds: createdAtMilliseconds
        )
        // `tree.accounts` is sorted by id, the order the store requires.
        let liabilities = tree.accounts.map {
            EpochLiability(account: $0.id, equity: $0.equity, maintenanceMargin: $0.maintenanceMargin)
        }
        return (
            ProofEpoch(tree: tree, summary: summary),
            ProofEpochRecord(summary: summary, secret: secret.bytes, liabilities: liabilities)
        )
    }

    /// Rebuilds a stored epoch from its liabilities and secret and checks that the rebuilt commitment (root hash,
    /// tree hash, leaf count, totals, counts) equals the stored one.
    ///
    /// - Throws: ``EngineServiceError`` naming the epoch and the first field that differs (the root first).
    static func rebuild(_ record: ProofEpochRecord) throws(EngineServiceError) -> ProofEpoch {
        let stored = record.summary
        let tree: LiabilityTree
        do {
            let secret = try EpochSecret(bytes: record.secret)
            tree = try LiabilityTree(
                accounts: record.liabilities.map {
                    LiabilityAccount(id: $0.account, equity: $0.equity, maintenanceMargin: $0.maintenanceMargin)
                },
                epoch: UInt64(stored.epoch),
                secret: secret,
                configuration: LiabilityTreeConfiguration(piecesPerAccount: stored.piecesPerAccount)
            )
        } catch {
            throw EngineServiceError("proof epoch \(stored.epoch): the stored liabilities do not rebuild: \(error)")
        }
        let rebuilt = Self.summary(
            tree,
            epoch: stored.epoch,
            eventSequence: stored.eventSequence,
            createdAtMilliseconds: stored.createdAtMilliseconds
        )
        guard rebuilt.rootHash == stored.rootHash else {
            throw EngineServiceError(
                "proof epoch \(stored.epoch): the stored liabilities and secret rebuild root \(rebuilt.rootHash),"
                    + " but the stored root is \(stored.rootHash)"
            )
        }
        guard rebuilt == stored else {
            throw EngineServiceError(
                "proof epoch \(stored.epoch): the stored commitment (tree hash, leaf count, totals or counts)"
                    + " differs from the rebuilt one: stored \(stored), rebuilt \(rebuilt)"
            )
        }
        return ProofEpoch(tree: tree, summary: rebuilt)
    }

    /// The store's summary of a tree.
    static func summary(
        _ tree: LiabilityTree,
        epoch: Int64,
        eventSequence: Int64,
        createdAtMilliseconds: Int64
    ) -> ProofEpochSummary {
        let commitment = tree.commitment
        // leafCount ≤ 2^40 and the counts ≤ the number of accounts (an Array count), so all fit Int64.
        return ProofEpochSummary(
            epoch: epoch,
            eventSequence: eventSequence,
            createdAtMilliseconds: createdAtMilliseconds,
            rootHash: commitment.rootHash.description,
            treeHash: commitment.treeHash.description,
            leafCount: Int64(commitment.leafCount),
            piecesPerAccount: tree.configuration.piecesPerAccount,
            totalLiabilities: commitment.sums.equity,
            totalMaintenanceMargin: commitment.sums.maintenance,
            totalDeficit: commitment.sums.deficit,
            underMaintenanceCount: Int64(commitment.sums.underMaintenance),
            negativeEquityCount: Int64(commitment.sums.negativeEquity)
        )
    }
}
