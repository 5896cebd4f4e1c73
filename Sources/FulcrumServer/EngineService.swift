import FulcrumEngine
import FulcrumIO
public import FulcrumStore

/// The engine as a durable service: one actor owns the ``ClearingEngine``, the ``EventLog``, the sequence
/// counters and the stream subscribers.
///
/// A write is authorized, validated and applied to the in-memory engine (a rejected event leaves it unchanged),
/// encoded as its v1 JSON line with its effects, and queued. One committer task drains everything queued into a
/// single `log.append` (group commit) and only then acknowledges the waiting requests and broadcasts the effects.
/// If an append fails the engine is ahead of the log: every pending request gets 503, `/healthz` turns 503 and
/// writes stop (crash-only: a restart rebuilds the state from the snapshot and the log).
public actor EngineService {
    /// One queued write (or a retry waiting for the same idempotency key's first request to commit).
    struct PendingWrite {
        var events: [LoggedEvent]
        var effects: [LoggedEffect]
        var eventTypes: [String]
        var effectKinds: [String]
        var reply: WriteReply?
        var idempotencyKey: String?
        var fingerprint: String
        /// Resumed exactly once, by the committer (unchecked: no allocation of a checking wrapper per write).
        var continuation: UnsafeContinuation<Result<WriteReply, APIError>, Never>
    }

    /// An idempotency key seen since start.
    enum IdempotencyEntry {
        case pending(fingerprint: String)
        case done(fingerprint: String, reply: WriteReply)
    }

    /// A live stream subscriber.
    struct Subscriber {
        var continuation: AsyncStream<StreamMessage>.Continuation
        /// Called when the subscriber is dropped for a full buffer (must not block).
        var onOverflow: @Sendable () -> Void
    }

    /// The durable log.
    public nonisolated let log: any EventLog
    /// Counters and histograms.
    public nonisolated let metrics: ServerMetrics
    /// Tunables.
    public nonisolated let settings: EngineServiceSettings
    /// Milliseconds since the Unix epoch (injected).
    nonisolated let clock: @Sendable () -> Int64

    var engine: ClearingEngine
    /// The incremental liquidation index beside the engine, updated after every applied event: after a price or
    /// funding write it answers "is anyone under maintenance now?" in O(log n + k) instead of a sweep over every
    /// account (`LiquidationIndex` equals a full scan; its property tests prove it).
    var liquidationIndex = LiquidationIndex()
    /// Reused buffer for the index's answers.
    var liquidationCandidates: [AccountID] = []
    var codec: EventCodec
    var symbols: [String] = []
    var appliedEvents: Int64 = 0
    var appliedEffects: Int64 = 0
    var committedEvents: Int64 = 0
    var committedEffects: Int64 = 0
    var lastSnapshotEvents: Int64 = 0
    /// Events committed since the last WAL checkpoint started (either kind).
    var uncheckpointedEvents: Int64 = 0
    /// Events committed since the last checkpoint on the writer (the one after which the WAL restarts).
    var eventsSinceWALRestart: Int64 = 0
    /// A checkpoint on the log's second connection is running.
    var concurrentCheckpointRunning = false
    /// A checkpoint on the second connection finished: the writer checkpoints the few frames committed meanwhile
    /// after its next commit, so the WAL restarts from its start.
    var walRestartDue = false
    var queue: [PendingWrite] = []
    var failure: String?
    var closed = false
    var idempotency: [String: IdempotencyEntry] = [:]
    var idempotencyOrder: [String] = []
    var subscribers: [Int: Subscriber] = [:]
    var nextSubscriber = 0
    /// The latest liquidation / ADL / socialization effects (JSON), newest last, for the dashboard's first paint.
    var recentAlerts: [String] = []
    /// Proof-of-liabilities epochs in memory: the latest tree and a small cache of older ones (all are stored in the
    /// log).
    var proofEpochs = ProofEpochState()
    let wakeStream: AsyncStream<Void>
    let wake: AsyncStream<Void>.Continuation
    var committer: Task<Void, Never>?

    init(
        log: any EventLog,
        settings: EngineServiceSettings,
        metrics: ServerMetrics,
        clock: @escaping @Sendable () -> Int64
    ) {
        self.log = log
        self.settings = settings
        self.metrics = metrics
        self.clock = clock
        engine = ClearingEngine(configuration: EngineConfiguration(seed: settings.seed))
        codec = EventCodec(defaultVenue: settings.defaultVenue)
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakeStream = stream
        wake = continuation
    }

    /// Opens the service: migrates the schema, rebuilds the state (latest snapshot + the log after it), checks
    /// the invariants once and starts the committer.
    ///
    /// - Throws: ``EngineServiceError`` when the log cannot be read or does not replay.
    public static func open(
        log: any EventLog,
        settings: EngineServiceSettings = EngineServiceSettings(),
        metrics: ServerMetrics? = nil,
        clock: @escaping @Sendable () -> Int64
    ) async throws -> EngineService {
        let service = EngineService(
            log: log,
            settings: settings,
            metrics: metrics ?? ServerMetrics(clock: clock),
            clock: clock
        )
        try await service.recover()
        if settings.checkpointEvents > 0 {
            do { try await log.takeOverCheckpoints() } catch {
                throw EngineServiceError("cannot turn the log's automatic checkpoints off: \(error)")
            }
        }
        await service.startCommitter()
        return service
    }

    private func startCommitter() {
        committer = Task { await self.runCommitter() }
    }

    /// Stops accepting writes, commits what is queued and stops the committer (the log stays open).
    public func close() async {
        closed = true
        wake.finish()
        let task = committer
        committer = nil
        await task?.value
        for (_, subscriber) in subscribers { subscriber.continuation.finish() }
        subscribers = [:]
    }

    /// Whether writes are being accepted (false after a failed append).
    public var isHealthy: Bool { failure == nil && !closed }

    /// Why writes stopped, if they did.
    public var failureReason: String? { failure }

    /// Applies `command` for `principal`, waits until it is durable, and returns the acknowledgement.
    ///
    /// With an idempotency key (scoped to the caller's key id), a retry with the same request fingerprint gets the
    /// stored reply (`replayed`), applied once; a different fingerprint gets 409.
    public func submit(
        _ command: WriteCommand,
        principal: Principal,
        idempotencyKey: String? = nil,
        fingerprint: String = ""
    ) async -> Result<WriteReply, APIError> {
        if let refusal = writeRefusal() { return .failure(refusal) }
        do throws(APIError) { try principal.authorize(command) } catch {
            metrics.rejected(command.name)
            return .failure(error)
        }
        var scoped: String?
        if let idempotencyKey {
            let key = principal.keyID + ":" + idempotencyKey
            scoped = key
            if let hit = await idempotencyHit(key, fingerprint: fingerprint) { return hit }
            if let refusal = writeRefusal() { return .failure(refusal) }
        }
        let applied: AppliedWrite
        do throws(APIError) { applied = try apply(command) } catch {
            metrics.rejected(command.name)
            return .failure(error)
        }
        var events = applied.events
        guard !events.isEmpty else {
            return .failure(APIError(status: 422, code: "invalid-state", message: "the write produced no event"))
        }
        if let scoped {
            events[0].idempotencyKey = scoped
            rememberIdempotency(scoped, .pending(fingerprint: fingerprint))
            // The stored reply is what a retry with this key gets back; without a key nothing ever reads it.
            events[0].response = applied.reply.envelope(fingerprint: fingerprint)
        }
        let write = events
        return await withUnsafeContinuation { continuation in
            queue.append(
                PendingWrite(
                    events: write,
                    effects: applied.effects,
                    eventTypes: applied.eventTypes,
                    effectKinds: applied.effectKinds,
                    reply: applied.reply,
                    idempotencyKey: scoped,
                    fingerprint: fingerprint,
                    continuation: continuation
                )
            )
            wake.yield(())
        }
    }

    func writeRefusal() -> APIError? {
        if let failure {
            return .unavailable("writes are stopped after a log failure (\(failure)); restart the server")
        }
        if closed { return .unavailable("the server is shutting down") }
        return nil
    }

    /// The stored outcome of an idempotency key, waiting for it when its first request is still committing.
    func idempotencyHit(_ key: String, fingerprint: String) async -> Result<WriteReply, APIError>? {
        switch idempotency[key] {
        case .done(let stored, let reply)?:
            guard stored == fingerprint else { return .failure(Self.conflict) }
            var replay = reply
            replay.replayed = true
            return .success(replay)
        case .pending(let stored)?:
            guard stored == fingerprint else { return .failure(Self.conflict) }
            return await withUnsafeContinuation { continuation in
                queue.append(
                    PendingWrite(
                        events: [],
                        effects: [],
                        eventTypes: [],
                        effectKinds: [],
                        reply: nil,
                        idempotencyKey: key,
                        fingerprint: fingerprint,
                        continuation: continuation
                    )
                )
                wake.yield(())
            }
        case nil:
            break
        }
        let stored: LoggedEvent?
        do { stored = try await log.event(idempotencyKey: key) } catch {
            return .failure(.unavailable("the idempotency lookup failed: \(error)"))
        }
        if idempotency[key] != nil { return await idempotencyHit(key, fingerprint: fingerprint) }
        guard let stored, let parsed = WriteReply.parse(envelope: stored.response) else { return nil }
        rememberIdempotency(key, .done(fingerprint: parsed.fingerprint, reply: parsed.reply))
        guard parsed.fingerprint == fingerprint else { return .failure(Self.conflict) }
        return .success(parsed.reply)
    }

    static let conflict = APIError(
        status: 409,
        code: "idempotency-key-reused",
        field: "Idempotency-Key",
        message: "this Idempotency-Key was already used with a different request"
    )

    func rememberIdempotency(_ key: String, _ entry: IdempotencyEntry) {
        if idempotency.updateValue(entry, forKey: key) == nil {
            idempotencyOrder.append(key)
            if idempotencyOrder.count > max(1, settings.idempotencyMemory) * 2 {
                // Forget the oldest half (they stay in the log, looked up on a miss); never a pending one.
                let cut = idempotencyOrder.count / 2
                for old in idempotencyOrder[..<cut] {
                    if case .done? = idempotency[old] { idempotency[old] = nil }
                }
                idempotencyOrder.removeFirst(cut)
            }
        }
    }

    // MARK: group commit

    /// Commits as soon as the committer is free, taking everything queued (no timer). Checkpoints in two phases,
    /// mostly off the commits: every ``EngineServiceSettings/checkpointEvents`` events one runs on the log's second
    /// connection while commits go on (the copy and its fsyncs); when it is done, the writer checkpoints the frames
    /// committed meanwhile between two commits (short: a few pages), after which the WAL restarts from its start.
    /// ``EngineServiceSettings/checkpointLimitEvents`` bounds the WAL if second-connection checkpoints fall behind.
    private func runCommitter() async {
        for await _ in wakeStream {
            while !queue.isEmpty {
                let batch = queue
                queue.removeAll(keepingCapacity: true)
                await commit(batch)
                guard settings.checkpointEvents > 0 else { continue }
                scheduleCheckpoint()
                let overLimit = eventsSinceWALRestart >= max(1, settings.checkpointLimitEvents)
                if walRestartDue || overLimit, !concurrentCheckpointRunning {
                    await checkpoint(concurrently: false)
                }
            }
        }
        while !queue.isEmpty {
            let batch = queue
            queue.removeAll()
            await commit(batch)
        }
    }

    private func commit(_ batch: [PendingWrite]) async {
        if let failure {
            for item in batch {
                item.continuation.resume(returning: .failure(.unavailable("writes are stopped: \(failure)")))
            }
            return
        }
        var events: [LoggedEvent] = []
        var effects: [LoggedEffect] = []
        for item in batch {
            events += item.events
            effects += item.effects
        }
        // The whole queue was taken, so the engine is exactly the state after the batch's last event.
        var snapshot: EngineSnapshotRecord?
        if let last = events.last, last.sequence == appliedEvents,
            appliedEvents - lastSnapshotEvents >= max(1, settings.snapshotEvery)
        {
            snapshot = EngineSnapshotRecord(
                eventSequence: appliedEvents,
                effectSequence: appliedEffects,
                stateHash: engine.stateHash,
                bytes: engine.snapshotBytes()
            )
        }
        if !events.isEmpty {
            do {
                let started = ContinuousClock.now
                try await log.append(events: events, effects: effects)
                metrics.appended(seconds: Self.seconds(since: started))
            } catch {
                failure = "log append failed: \(error)"
                metrics.commitFailed()
                let refusal = APIError.unavailable("the write could not be made durable; writes are stopped")
                for item in batch { item.continuation.resume(returning: .failure(refusal)) }
                let rest = queue
                queue.removeAll()
                for item in rest { item.continuation.resume(returning: .failure(refusal)) }
                return
            }
            if let last = events.last { committedEvents = last.sequence }
            uncheckpointedEvents += Int64(events.count)
            eventsSinceWALRestart += Int64(events.count)
            if let last = effects.last { committedEffects = last.sequence }
        }
        var kinds: [String] = []
        var types: [String] = []
        for item in batch {
            if let key = item.idempotencyKey, let reply = item.reply {
                idempotency[key] = .done(fingerprint: item.fingerprint, reply: reply)
            }
            types += item.eventTypes
            kinds += item.effectKinds
        }
        metrics.committed(events: events.count, eventTypes: types, effectKinds: kinds)
        for item in batch {
            if let reply = item.reply {
                item.continuation.resume(returning: .success(reply))
            } else if let key = item.idempotencyKey, case .done(let stored, let reply)? = idempotency[key] {
                var replay = reply
                replay.replayed = true
                item.continuation.resume(
                    returning: stored == item.fingerprint ? .success(replay) : .failure(Self.conflict)
                )
            } else {
                item.continuation.resume(returning: .failure(.unavailable("the original request was not committed")))
            }
        }
        broadcast(effects, kinds: kinds)
        if let snapshot {
            do {
                try await log.saveSnapshot(snapshot)
                lastSnapshotEvents = snapshot.eventSequence
                metrics.snapshotSaved()
            } catch {
                // A missing snapshot only lengthens the next recovery; the log is intact.
                lastSnapshotEvents = snapshot.eventSequence
            }
        }
    }

    /// Starts a checkpoint on the log's second connection when enough events were committed since the last one
    /// and none is running (it does not hold the actor: commits go on).
    private func scheduleCheckpoint() {
        guard !concurrentCheckpointRunning, uncheckpointedEvents >= settings.checkpointEvents else { return }
        concurrentCheckpointRunning = true
        uncheckpointedEvents = 0
        let log = log
        let metrics = metrics
        Task {
            let started = ContinuousClock.now
            do {
                try await log.checkpoint(concurrently: true)
                metrics.checkpointed(seconds: Self.seconds(since: started))
                walRestartDue = true
            } catch {
                metrics.checkpointFailed()
            }
            concurrentCheckpointRunning = false
        }
    }

    /// Copies the log's WAL into its database (a failure loses nothing: the WAL just grows until the next try).
    private func checkpoint(concurrently: Bool) async {
        let started = ContinuousClock.now
        do {
            try await log.checkpoint(concurrently: concurrently)
            uncheckpointedEvents = 0
            eventsSinceWALRestart = 0
            walRestartDue = false
            metrics.checkpointed(seconds: Self.seconds(since: started), onWriter: true)
        } catch {
            // The WAL keeps growing until the next second-connection checkpoint or the limit tries again.
            walRestartDue = false
            metrics.checkpointFailed()
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
