/// The service's proof epochs in memory: the latest epoch's tree, a small cache of older epochs rebuilt on demand,
/// and whether a build is running (builds are serialized: epoch numbers are handed out one at a time).
struct ProofEpochState: Sendable {
    /// How many older epochs stay rebuilt in memory besides the latest. A 1,000,000-account tree (k = 2) takes about
    /// 0.8 GB, so the service holds at most two trees (three while a build runs).
    static let olderCapacity = 1

    /// The latest stored epoch, rebuilt at start and replaced by each build.
    var latest: ProofEpoch?
    /// Whether `POST /v1/proofs/epochs` is running.
    var building = false
    /// Older epochs, rebuilt or being rebuilt (so concurrent requests share one rebuild), least recently used first.
    private(set) var older: [(epoch: Int64, rebuild: Task<Result<ProofEpoch, APIError>, Never>)] = []

    /// The cached rebuild of `epoch`, marked as most recently used.
    mutating func cached(_ epoch: Int64) -> Task<Result<ProofEpoch, APIError>, Never>? {
        guard let index = older.firstIndex(where: { $0.epoch == epoch }) else { return nil }
        let entry = older.remove(at: index)
        older.append(entry)
        return entry.rebuild
    }

    /// Caches a rebuild of `epoch`, evicting the least recently used beyond ``olderCapacity``.
    mutating func remember(_ epoch: Int64, _ rebuild: Task<Result<ProofEpoch, APIError>, Never>) {
        older.removeAll { $0.epoch == epoch }
        older.append((epoch, rebuild))
        if older.count > Self.olderCapacity { older.removeFirst(older.count - Self.olderCapacity) }
    }

    /// Caches an epoch that is already in memory (the previous latest when a new one is built).
    mutating func remember(_ epoch: ProofEpoch) {
        remember(epoch.epoch, Task { .success(epoch) })
    }

    /// Forgets `epoch` (a rebuild that failed), unless another rebuild replaced it meanwhile.
    mutating func forget(_ epoch: Int64, _ rebuild: Task<Result<ProofEpoch, APIError>, Never>) {
        older.removeAll { $0.epoch == epoch && $0.rebuild == rebuild }
    }
}
