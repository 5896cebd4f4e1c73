import FulcrumCore
import FulcrumEngine
import FulcrumProofs
import FulcrumStore

/// Proofs of liabilities (docs/PROOFS.md) over the live state: the operator builds an epoch, which is stored in the
/// log before the request is answered; anyone with a key reads the roots; an account reads its own inclusion proof
/// in any stored epoch.
extension EngineService {
    /// Builds and stores the next epoch from the applied state: one liability per account, equity and maintenance
    /// summed over its cross pool and isolated positions at the trigger prices, with a fresh random secret.
    ///
    /// The epoch number continues the stored epochs (never reused, also after a restart). The record (summary,
    /// secret, liabilities) is durable under the log's fsync policy before this returns; the event sequence it
    /// commits to is durable too (the build waits for the group commit that carries it).
    ///
    /// - Throws: ``APIError`` 409 while another build runs, 422 when an account does not fit the proof's 64-bit
    ///   money, 503 when the log cannot store the epoch.
    public func buildProofEpoch() async throws(APIError) -> String {
        guard !proofEpochs.building else {
            throw APIError(
                status: 409,
                code: "epoch-in-progress",
                field: "epoch",
                message: "another proof epoch is being built; retry when it is done"
            )
        }
        proofEpochs.building = true
        defer { proofEpochs.building = false }
        let stored: Int64
        do { stored = try await log.latestProofEpoch() } catch {
            throw .unavailable("the stored proof epochs cannot be read: \(error)")
        }
        let epoch = max(stored, proofEpochs.latest?.epoch ?? 0) + 1
        let copy = engine
        let sequence = appliedEvents
        let createdAt = clock()
        var generator = SystemRandomNumberGenerator()
        let secret = EpochSecret.random(using: &generator)
        let built: Result<(epoch: ProofEpoch, record: ProofEpochRecord), APIError> = await Self.offActor {
            do throws(APIError) {
                return .success(
                    try ProofEpoch.build(
                        accounts: try Self.liabilities(copy),
                        epoch: epoch,
                        secret: secret,
                        eventSequence: sequence,
                        createdAtMilliseconds: createdAt
                    )
                )
            } catch {
                return .failure(error)
            }
        }
        let (fresh, record) = try built.get()
        try await waitUntilDurable(sequence)
        do { try await log.saveProofEpoch(record) } catch {
            throw .unavailable("proof epoch \(epoch) could not be stored: \(error)")
        }
        if let previous = proofEpochs.latest { proofEpochs.remember(previous) }
        proofEpochs.latest = fresh
        return Self.commitmentJSON(fresh.summary)
    }

    /// Waits until the group commit carrying event `sequence` is durable (an epoch commits to a logged state).
    private func waitUntilDurable(_ sequence: Int64) async throws(APIError) {
        while committedEvents < sequence {
            if let failure { throw .unavailable("writes are stopped after a log failure (\(failure))") }
            do { try await Task.sleep(for: .milliseconds(1)) } catch {
                throw .unavailable("cancelled while waiting for event \(sequence) to be durable")
            }
        }
    }

    /// The latest epoch's public commitment, or 404.
    public func proofRootJSON() throws(APIError) -> String {
        guard let latest = proofEpochs.latest else { throw Self.noEpochYet }
        return Self.commitmentJSON(latest.summary)
    }

    /// The public commitments of the stored epochs with `epoch < before` (all when `nil`), newest first, at most
    /// `limit`, and the `before` cursor of the next page (`null` on the last page).
    public nonisolated func proofEpochsJSON(before: Int64?, limit: Int) async throws(APIError) -> String {
        let page: [ProofEpochSummary]
        do { page = try await log.proofEpochs(before: before, limit: limit + 1) } catch {
            throw .unavailable("the stored proof epochs cannot be read: \(error)")
        }
        let shown = page.prefix(limit)
        var o = JSONObjectText()
        o.raw("epochs", JSONObjectText.array(shown.map(Self.commitmentJSON)))
        o.int("next", page.count > limit ? shown.last?.epoch : nil)
        return o.json
    }

    /// One stored epoch's public commitment.
    ///
    /// - Throws: ``APIError`` 404 naming `epoch` and the value when no such epoch is stored.
    public nonisolated func proofEpochJSON(epoch: Int64) async throws(APIError) -> String {
        let summary: ProofEpochSummary?
        do { summary = try await log.proofEpochSummary(epoch) } catch {
            throw Self.unreadable(epoch, error)
        }
        guard let summary else { throw Self.unknownEpoch(epoch) }
        return Self.commitmentJSON(summary)
    }

    /// An account's inclusion proof (hex of the binary encoding `fulcrum verify` reads) in epoch `requested`, or in
    /// the latest epoch when `nil`. Older epochs are rebuilt off the actor from the store and kept in a small cache.
    ///
    /// - Throws: ``APIError`` 404 naming `epoch` for an epoch that does not exist, naming `id` for an account that
    ///   is not in the epoch; 500 when a stored epoch does not rebuild to its root.
    public func proofJSON(account id: UInt32, epoch requested: Int64? = nil) async throws(APIError) -> String {
        let epoch = try await proofEpoch(requested)
        let proof: InclusionProof
        do { proof = try epoch.tree.proof(forAccount: UInt64(id)) } catch {
            throw .notFound(field: "id", value: String(id), "account \(id) is not in epoch \(epoch.epoch)")
        }
        var o = JSONObjectText()
        o.int("account", id)
        o.int("epoch", epoch.epoch)
        o.string("root", epoch.summary.rootHash)
        o.string("proof", APIKeys.hex(proof.encoded))
        return o.json
    }

    /// The outcome of rebuilding a stored epoch.
    typealias Rebuilt = Result<ProofEpoch, APIError>

    /// The epoch in memory, from the cache, or rebuilt from the store (one rebuild shared by concurrent callers).
    private func proofEpoch(_ requested: Int64?) async throws(APIError) -> ProofEpoch {
        guard let latest = proofEpochs.latest else { throw Self.noEpochYet }
        guard let requested, requested != latest.epoch else { return latest }
        guard requested >= 1, requested < latest.epoch else { throw Self.unknownEpoch(requested) }
        if let cached = proofEpochs.cached(requested) { return try await cached.value.get() }
        let log = log
        let rebuild = Task.detached { await Self.rebuildStored(log, requested) }
        proofEpochs.remember(requested, rebuild)
        let result = await rebuild.value
        if case .failure = result { proofEpochs.forget(requested, rebuild) }
        return try result.get()
    }

    /// Loads and rebuilds a stored epoch (off the actor), checking its root.
    private nonisolated static func rebuildStored(_ log: any EventLog, _ epoch: Int64) async -> Rebuilt {
        let record: ProofEpochRecord?
        do { record = try await log.proofEpoch(epoch) } catch { return .failure(unreadable(epoch, error)) }
        guard let record else { return .failure(unknownEpoch(epoch)) }
        do throws(EngineServiceError) { return .success(try ProofEpoch.rebuild(record)) } catch {
            return .failure(
                APIError(
                    status: 500,
                    code: "corrupt-epoch",
                    field: "epoch",
                    value: String(epoch),
                    message: error.message
                )
            )
        }
    }

    /// Startup: loads the latest stored epoch, rebuilds its tree off the actor and checks the rebuilt root equals
    /// the stored root.
    ///
    /// - Throws: ``EngineServiceError`` naming the epoch when it cannot be read or does not rebuild to its root (the
    ///   server refuses to start).
    func recoverProofEpochs() async throws(EngineServiceError) {
        let latest: Int64
        let record: ProofEpochRecord?
        do {
            latest = try await log.latestProofEpoch()
            guard latest > 0 else { return }
            record = try await log.proofEpoch(latest)
        } catch {
            throw EngineServiceError("the latest proof epoch cannot be read: \(error)")
        }
        guard let record else { throw EngineServiceError("proof epoch \(latest) is listed but cannot be read") }
        guard record.summary.eventSequence <= appliedEvents else {
            throw EngineServiceError(
                "proof epoch \(latest) commits to event \(record.summary.eventSequence), beyond the log's"
                    + " \(appliedEvents)"
            )
        }
        let rebuilt: Result<ProofEpoch, EngineServiceError> = await Self.offActor {
            do throws(EngineServiceError) { return .success(try ProofEpoch.rebuild(record)) } catch {
                return .failure(error)
            }
        }
        proofEpochs.latest = try rebuilt.get()
    }

    static let noEpochYet = APIError.notFound(
        field: "epoch",
        value: "latest",
        "no proof epoch yet (POST /v1/proofs/epochs)"
    )

    static func unknownEpoch(_ epoch: Int64) -> APIError {
        .notFound(field: "epoch", value: String(epoch), "proof epoch \(epoch) does not exist")
    }

    static func unreadable(_ epoch: Int64, _ error: any Error) -> APIError {
        if let error = error as? StoreError, error.code == .corruptRecord {
            return APIError(
                status: 500,
                code: "corrupt-epoch",
                field: "epoch",
                value: String(epoch),
                message: error.message
            )
        }
        return .unavailable("proof epoch \(epoch) cannot be read: \(error)")
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

    /// One epoch's public commitment: what the root hash binds (epoch, leaf count, totals, counts, tree hash), the
    /// event sequence it commits to and when it was built. Not the account count (docs/PROOFS.md).
    static func commitmentJSON(_ summary: ProofEpochSummary) -> String {
        var o = JSONObjectText()
        o.int("epoch", summary.epoch)
        o.int("eventSequence", summary.eventSequence)
        o.string("root", summary.rootHash)
        o.string("treeHash", summary.treeHash)
        o.int("leafCount", summary.leafCount)
        o.raw("totalLiabilities", "\"\(summary.totalLiabilities.description)\"")
        o.raw("totalMaintenanceMargin", "\"\(summary.totalMaintenanceMargin.description)\"")
        o.raw("totalDeficit", "\"\(summary.totalDeficit.description)\"")
        o.int("underMaintenanceCount", summary.underMaintenanceCount)
        o.int("negativeEquityCount", summary.negativeEquityCount)
        o.int("createdAt", summary.createdAtMilliseconds)
        return o.json
    }
}
