import FulcrumCore
import FulcrumEngine
import FulcrumProofs

/// Proofs of liabilities (docs/PROOFS.md) over the live state: the operator builds an epoch, anyone with a key
/// reads the root, an account reads its own inclusion proof.
extension EngineService {
    /// Builds a new epoch from the applied state: one liability per account, equity and maintenance summed over
    /// its cross pool and isolated positions at the trigger prices.
    ///
    /// - Throws: ``APIError`` 422 when an account's equity does not fit the proof's 64-bit money.
    public func buildProofEpoch() async throws(APIError) -> String {
        let copy = engine
        let sequence = appliedEvents
        let epoch = (proofEpoch?.tree.commitment.epoch ?? 0) + 1
        var generator = SystemRandomNumberGenerator()
        let secret = EpochSecret.random(using: &generator)
        let built: Result<LiabilityTree, APIError> = await Self.offActor {
            do throws(APIError) {
                let accounts = try Self.liabilities(copy)
                do throws(ProofError) {
                    return .success(try LiabilityTree(accounts: accounts, epoch: epoch, secret: secret))
                } catch {
                    throw APIError(status: 422, code: "proof-failed", message: error.description)
                }
            } catch {
                return .failure(error)
            }
        }
        let tree = try built.get()
        proofEpoch = ProofEpoch(tree: tree, eventSequence: sequence)
        return Self.commitmentJSON(tree.commitment, eventSequence: sequence)
    }

    /// The latest epoch's public commitment, or 404.
    public func proofRootJSON() throws(APIError) -> String {
        guard let proofEpoch else {
            throw .notFound(field: "epoch", value: "latest", "no proof epoch yet (POST /v1/proofs/epochs)")
        }
        return Self.commitmentJSON(proofEpoch.tree.commitment, eventSequence: proofEpoch.eventSequence)
    }

    /// An account's inclusion proof in the latest epoch (hex of the binary encoding `fulcrum verify` reads).
    public func proofJSON(account id: UInt32) throws(APIError) -> String {
        guard let proofEpoch else {
            throw .notFound(field: "epoch", value: "latest", "no proof epoch yet (POST /v1/proofs/epochs)")
        }
        let proof: InclusionProof
        do { proof = try proofEpoch.tree.proof(forAccount: UInt64(id)) } catch {
            throw .notFound(
                field: "id",
                value: String(id),
                "account \(id) is not in epoch \(proofEpoch.tree.commitment.epoch)"
            )
        }
        var o = JSONObjectText()
        o.int("account", id)
        o.int("epoch", proofEpoch.tree.commitment.epoch)
        o.string("root", proofEpoch.tree.rootHash.description)
        o.string("proof", APIKeys.hex(proof.encoded))
        return o.json
    }

    static func liabilities(_ engine: ClearingEngine) throws(APIError) -> [LiabilityAccount] {
        var accounts: [LiabilityAccount] = []
        accounts.reserveCapacity(engine.accountCount)
        for account in 0..<engine.accountCount {
            let id = AccountID(UInt32(account))
            var equity: Int128 = 0
            var maintenance: Int128 = 0
            if let cross = try? engine.crossMargin(of: id) {
                equity += cross.equity
                maintenance += cross.maintenance
            }
            for market in 0..<engine.marketCount {
                let marketID = MarketID(UInt32(market))
                let position = engine.position(id, marketID)
                guard position.mode == .isolated, position.isOpen || !position.isolatedMargin.isZero,
                    let pool = try? engine.isolatedMargin(of: id, in: marketID)
                else { continue }
                equity += pool.equity
                maintenance += pool.maintenance
            }
            guard let e = Int64(exactly: equity), let m = Int64(exactly: maintenance) else {
                throw APIError(
                    status: 422,
                    code: "overflow",
                    field: "equity",
                    value: String(account),
                    message: "account \(account)'s equity does not fit 64-bit money"
                )
            }
            accounts.append(
                LiabilityAccount(id: UInt64(account), equity: Money(raw: e), maintenanceMargin: Money(raw: m))
            )
        }
        return accounts
    }

    static func commitmentJSON(_ commitment: RootCommitment, eventSequence: Int64) -> String {
        var o = JSONObjectText()
        o.int("epoch", commitment.epoch)
        o.int("eventSequence", eventSequence)
        o.string("root", commitment.rootHash.description)
        o.string("treeHash", commitment.treeHash.description)
        o.int("leafCount", commitment.leafCount)
        o.raw("totalLiabilities", "\"\(commitment.sums.equity.description)\"")
        o.raw("totalMaintenanceMargin", "\"\(commitment.sums.maintenance.description)\"")
        o.raw("totalDeficit", "\"\(commitment.sums.deficit.description)\"")
        o.int("underMaintenanceCount", commitment.sums.underMaintenance)
        o.int("negativeEquityCount", commitment.sums.negativeEquity)
        return o.json
    }
}
