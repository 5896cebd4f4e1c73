import FulcrumStore
import Testing

/// The behaviour every ``EventLog`` backend must show, run against SQLite and PostgreSQL alike.
///
/// `fresh` opens an empty, migrated log; `reopen` closes nothing and opens a second handle on the same storage
/// (the caller closes the first); `snapshotSequences` lists the stored snapshots, newest first; `execute` runs one
/// raw SQL statement (to corrupt rows on purpose).
struct EventLogContract {
    var fresh: () async throws -> any EventLog
    var reopen: (any EventLog) async throws -> any EventLog
    var snapshotSequences: (any EventLog) async throws -> [Int64]
    var execute: (any EventLog, String) async throws -> Void

    static func event(_ sequence: Int64, key: String? = nil) -> LoggedEvent {
        LoggedEvent(
            sequence: sequence,
            line: #"{"v":1,"type":"deposit","account":\#(sequence),"amount":"1.5"}"#,
            idempotencyKey: key,
            response: #"{"sequence":\#(sequence),"note":"naïve ✓ \"quoted\""}"#,
            acceptedAtMilliseconds: 1_700_000_000_000 + sequence
        )
    }

    static func effect(_ sequence: Int64, event: Int64) -> LoggedEffect {
        LoggedEffect(sequence: sequence, eventSequence: event, json: #"{"kind":"deposit","seq":\#(sequence)}"#)
    }

    /// Expects `body` to throw a ``StoreError`` with `code` whose message contains `text`.
    static func expectStoreError(
        _ code: StoreError.Code,
        _ text: String,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            Issue.record("expected \(code) mentioning \"\(text)\"", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(text), "message: \(error.message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected StoreError \(code), got \(error)", sourceLocation: sourceLocation)
        }
    }

    func runAll() async throws {
        try await migrateTwiceIsANoOp()
        try await appendAndReadBack()
        try await gapsAndDuplicatesAreRejectedAtomically()
        try await idempotencyKeys()
        try await snapshots()
        try await apiKeys()
        try await reopenKeepsEverything()
        try await proofEpochs()
        try await corruptProofEpochsAreErrors()
        try await proofEpochsSurviveReopen()
        try await upgradeFromV1KeepsTheLog()
        try await upgradeFromV2DropsTheEffectsIndex()
    }

    func migrateTwiceIsANoOp() async throws {
        let log = try await fresh()
        try await log.append(events: [Self.event(1)], effects: [])
        try await log.migrate()
        try await log.migrate()
        #expect(try await log.lastEventSequence() == 1)
        #expect(try await log.events(after: 0, limit: 10) == [Self.event(1)])
        try await log.close()
    }

    func appendAndReadBack() async throws {
        let log = try await fresh()
        #expect(try await log.lastEventSequence() == 0)
        #expect(try await log.lastEffectSequence() == 0)
        #expect(try await log.events(after: 0, limit: 10).isEmpty)
        #expect(try await log.latestSnapshot() == nil)
        let first = [Self.event(1, key: "k-1"), Self.event(2), Self.event(3, key: "k-3")]
        let firstEffects = [Self.effect(1, event: 1), Self.effect(2, event: 1), Self.effect(3, event: 3)]
        try await log.append(events: first, effects: firstEffects)
        try await log.append(events: [Self.event(4)], effects: [])
        try await log.append(events: [], effects: [])
        #expect(try await log.lastEventSequence() == 4)
        #expect(try await log.lastEffectSequence() == 3)
        #expect(try await log.events(after: 0, limit: 100) == first + [Self.event(4)])
        #expect(try await log.events(after: 1, limit: 2) == [Self.event(2), Self.event(3, key: "k-3")])
        #expect(try await log.events(after: 4, limit: 10).isEmpty)
        #expect(try await log.events(after: 0, limit: 0).isEmpty)
        #expect(try await log.effects(after: 0, limit: 100) == firstEffects)
        #expect(try await log.effects(after: 2, limit: 100) == [Self.effect(3, event: 3)])
        // A big batch (group commit of many requests) in one append.
        let big: [LoggedEvent] = (Int64(5)...1_204).map { Self.event($0) }
        var bigEffects: [LoggedEffect] = []
        for sequence in Int64(4)...2_403 {
            let event: Int64 = 5 + (sequence - 4) / 2
            bigEffects.append(Self.effect(sequence, event: event))
        }
        try await log.append(events: big, effects: bigEffects)
        #expect(try await log.lastEventSequence() == 1_204)
        #expect(try await log.lastEffectSequence() == 2_403)
        #expect(try await log.events(after: 4, limit: 5_000) == big)
        #expect(try await log.effects(after: 3, limit: 5_000) == bigEffects)
        try await log.close()
    }

    func gapsAndDuplicatesAreRejectedAtomically() async throws {
        let log = try await fresh()
        try await log.append(events: [Self.event(1), Self.event(2)], effects: [Self.effect(1, event: 2)])
        let before = try await log.events(after: 0, limit: 100)
        await Self.expectStoreError(.sequenceGap, "event sequence 4") {
            try await log.append(events: [Self.event(4)], effects: [])
        }
        await Self.expectStoreError(.sequenceGap, "event sequence 2") {
            try await log.append(events: [Self.event(2)], effects: [])
        }
        await Self.expectStoreError(.sequenceGap, "event sequence 5") {
            try await log.append(events: [Self.event(3), Self.event(5)], effects: [])
        }
        await Self.expectStoreError(.sequenceGap, "effect sequence 3") {
            try await log.append(events: [Self.event(3)], effects: [Self.effect(3, event: 3)])
        }
        await Self.expectStoreError(.sequenceGap, "effect sequence 1") {
            try await log.append(events: [Self.event(3)], effects: [Self.effect(1, event: 3)])
        }
        await Self.expectStoreError(.invalidArgument, "eventSequence 2") {
            try await log.append(events: [Self.event(3)], effects: [Self.effect(2, event: 2)])
        }
        await Self.expectStoreError(.invalidArgument, "eventSequence 9") {
            try await log.append(events: [], effects: [Self.effect(2, event: 9)])
        }
        #expect(try await log.events(after: 0, limit: 100) == before)
        #expect(try await log.lastEventSequence() == 2)
        #expect(try await log.lastEffectSequence() == 1)
        try await log.append(events: [Self.event(3)], effects: [Self.effect(2, event: 3)])
        #expect(try await log.lastEventSequence() == 3)
        try await log.close()
    }

    func idempotencyKeys() async throws {
        let log = try await fresh()
        try await log.append(events: [Self.event(1, key: "order-1"), Self.event(2)], effects: [])
        #expect(try await log.event(idempotencyKey: "order-1") == Self.event(1, key: "order-1"))
        #expect(try await log.event(idempotencyKey: "order-2") == nil)
        await Self.expectStoreError(.duplicateIdempotencyKey, "order-1") {
            try await log.append(events: [Self.event(3), Self.event(4, key: "order-1")], effects: [])
        }
        await Self.expectStoreError(.duplicateIdempotencyKey, "dup") {
            try await log.append(events: [Self.event(3, key: "dup"), Self.event(4, key: "dup")], effects: [])
        }
        #expect(try await log.lastEventSequence() == 2)
        #expect(try await log.event(idempotencyKey: "dup") == nil)
        try await log.append(events: [Self.event(3, key: "order-3"), Self.event(4, key: "order-4")], effects: [])
        #expect(try await log.event(idempotencyKey: "order-4")?.sequence == 4)
        try await log.close()
    }

    func snapshots() async throws {
        let log = try await fresh()
        try await log.append(
            events: (1...5).map { Self.event(Int64($0)) },
            effects: (1...3).map { Self.effect(Int64($0), event: 1) }
        )
        func record(_ sequence: Int64) -> EngineSnapshotRecord {
            EngineSnapshotRecord(
                eventSequence: sequence,
                effectSequence: min(sequence, 3),
                stateHash: UInt64.max - UInt64(sequence),  // high bit set: the hex text must round-trip it
                bytes: (0..<(1_000 + Int(sequence))).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(sequence)) }
            )
        }
        try await log.saveSnapshot(record(0))
        #expect(try await log.latestSnapshot() == record(0))
        try await log.saveSnapshot(record(2))
        try await log.saveSnapshot(record(4))
        try await log.saveSnapshot(record(3))  // older than the latest: stored, then pruned
        #expect(try await log.latestSnapshot() == record(4))
        #expect(try await snapshotSequences(log) == [4, 3])
        try await log.saveSnapshot(record(5))
        #expect(try await snapshotSequences(log) == [5, 4])
        #expect(try await log.latestSnapshot() == record(5))
        var replaced = record(5)
        replaced.bytes = [1, 2, 3]
        try await log.saveSnapshot(replaced)
        #expect(try await log.latestSnapshot() == replaced)
        await Self.expectStoreError(.invalidArgument, "eventSequence 6") { try await log.saveSnapshot(record(6)) }
        var tooManyEffects = record(5)
        tooManyEffects.effectSequence = 4
        await Self.expectStoreError(.invalidArgument, "effectSequence 4") {
            try await log.saveSnapshot(tooManyEffects)
        }
        #expect(try await log.latestSnapshot() == replaced)
        try await log.close()
    }

    func apiKeys() async throws {
        let log = try await fresh()
        let trader = APIKeyRecord(
            id: "abc123",
            secretHash: String(repeating: "ab", count: 32),
            role: .trader,
            account: 42,
            createdAtMilliseconds: 1_700_000_000_123
        )
        let oracle = APIKeyRecord(
            id: "oracle1",
            secretHash: String(repeating: "cd", count: 32),
            role: .oracle,
            account: nil,
            createdAtMilliseconds: 1
        )
        try await log.insertAPIKey(trader)
        try await log.insertAPIKey(oracle)
        #expect(try await log.apiKey(id: "abc123") == trader)
        #expect(try await log.apiKey(id: "oracle1") == oracle)
        #expect(try await log.apiKey(id: "nope") == nil)
        for role in APIKeyRole.allCases {
            let key = APIKeyRecord(
                id: "role-\(role.rawValue)",
                secretHash: "00",
                role: role,
                account: nil,
                createdAtMilliseconds: 5
            )
            try await log.insertAPIKey(key)
            #expect(try await log.apiKey(id: key.id) == key)
        }
        var again = trader
        again.secretHash = "ff"
        await Self.expectStoreError(.duplicateAPIKey, "abc123") { try await log.insertAPIKey(again) }
        #expect(try await log.apiKey(id: "abc123") == trader)
        try await log.close()
    }

    func reopenKeepsEverything() async throws {
        let log = try await fresh()
        let events = [Self.event(1, key: "a"), Self.event(2)]
        let effects = [Self.effect(1, event: 2)]
        let snapshot = EngineSnapshotRecord(eventSequence: 2, effectSequence: 1, stateHash: 77, bytes: [9, 8, 7])
        let key = APIKeyRecord(id: "k", secretHash: "h", role: .operator, account: nil, createdAtMilliseconds: 3)
        try await log.append(events: events, effects: effects)
        try await log.saveSnapshot(snapshot)
        try await log.insertAPIKey(key)
        try await log.close()
        let reopened = try await reopen(log)
        try await reopened.migrate()
        #expect(try await reopened.events(after: 0, limit: 10) == events)
        #expect(try await reopened.effects(after: 0, limit: 10) == effects)
        #expect(try await reopened.latestSnapshot() == snapshot)
        #expect(try await reopened.apiKey(id: "k") == key)
        #expect(try await reopened.event(idempotencyKey: "a") == events[0])
        try await reopened.append(events: [Self.event(3)], effects: [])
        #expect(try await reopened.lastEventSequence() == 3)
        try await reopened.close()
    }
}
