import Foundation
import FulcrumEngine
import FulcrumIO
import FulcrumServer
import FulcrumStore
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// An event log that delegates to SQLite until told to fail its appends.
final class FailingLog: EventLog {
    let inner: SQLiteEventLog
    let failing = Mutex(false)

    init(_ inner: SQLiteEventLog) { self.inner = inner }

    struct InjectedFailure: Error {}

    func migrate() async throws { try await inner.migrate() }
    nonisolated(nonsending) func append(events: [LoggedEvent], effects: [LoggedEffect]) async throws {
        if failing.withLock({ $0 }) { throw InjectedFailure() }
        try await inner.append(events: events, effects: effects)
    }
    func lastEventSequence() async throws -> Int64 { try await inner.lastEventSequence() }
    func lastEffectSequence() async throws -> Int64 { try await inner.lastEffectSequence() }
    func events(after: Int64, limit: Int) async throws -> [LoggedEvent] {
        try await inner.events(after: after, limit: limit)
    }
    func effects(after: Int64, limit: Int) async throws -> [LoggedEffect] {
        try await inner.effects(after: after, limit: limit)
    }
    func event(idempotencyKey: String) async throws -> LoggedEvent? {
        try await inner.event(idempotencyKey: idempotencyKey)
    }
    func saveSnapshot(_ snapshot: EngineSnapshotRecord) async throws { try await inner.saveSnapshot(snapshot) }
    func latestSnapshot() async throws -> EngineSnapshotRecord? { try await inner.latestSnapshot() }
    func insertAPIKey(_ key: APIKeyRecord) async throws { try await inner.insertAPIKey(key) }
    func apiKey(id: String) async throws -> APIKeyRecord? { try await inner.apiKey(id: id) }
    func close() async throws { try await inner.close() }
}

@Suite struct ServerDurabilityTests {
    @Test(arguments: [10_000, 4] as [Int64])
    func restartRebuildsTheSameState(snapshotEvery: Int64) async throws {
        let server = try await TestServer.make(snapshotEvery: snapshotEvery)
        let captured = Locked<(hash: String?, sequence: Int?)>((nil, nil))
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            _ = try await Scenario.crash(client, server)
            _ = try await client.send(
                .post,
                "/v1/accounts/2/deposits",
                key: server.operatorKey,
                body: #"{"amount":"5"}"#
            )
            let state = try await client.send(.get, "/v1/state", key: server.operatorKey).json
            captured.value.withLock { $0 = (state["stateHash"] as? String, state["eventSequence"] as? Int) }
        }
        let (hash, sequence) = captured.value.withLock { $0 }
        let snapshot = try await server.log.latestSnapshot()
        if snapshotEvery < 10_000 {
            // Snapshots were taken in between; the restart starts from the latest and replays the rest.
            #expect(snapshot != nil)
            #expect(
                (snapshot?.eventSequence ?? 0) < Int64(sequence ?? 0) || snapshot?.eventSequence == Int64(sequence ?? 0)
            )
        } else {
            #expect(snapshot == nil)
        }
        try await server.close()
        let reopened = try await TestServer.make(
            directory: server.directory,
            snapshotEvery: snapshotEvery,
            reuseKeys: server
        )
        try await reopened.application().test(.router) { client in
            let state = try await client.send(.get, "/v1/state", key: reopened.operatorKey).json
            #expect(state["stateHash"] as? String == hash)
            #expect(state["eventSequence"] as? Int == sequence)
            // Writes continue the sequence.
            let more = try await client.send(
                .post,
                "/v1/accounts/2/deposits",
                key: reopened.operatorKey,
                body: #"{"amount":"1"}"#
            )
            #expect(more.json["eventSequence"] as? Int == (sequence ?? 0) + 1)
        }
        try await reopened.close()
    }

    @Test func exportedLogReplaysToTheLiveHash() async throws {
        let server = try await TestServer.make()
        let captured = Locked<String?>(nil)
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            _ = try await Scenario.crash(client, server)
            _ = try await client.send(
                .post,
                "/v1/funding",
                key: server.oracleKey,
                body: #"{"market":"BTCUSDT","rate":"0.0001"}"#
            )
            _ = try await client.send(
                .post,
                "/v1/insurance-fund/deposits",
                key: server.operatorKey,
                body: #"{"amount":"50"}"#
            )
            _ = try await client.send(.post, "/v1/liquidations/sweep", key: server.operatorKey, body: nil)
            let hash = try await client.send(.get, "/v1/state", key: server.operatorKey).json["stateHash"] as? String
            captured.value.withLock { $0 = hash }
            let jsonl = try await client.send(.get, "/v1/events?format=jsonl&limit=10000", key: server.operatorKey)
            #expect(jsonl.body.hasPrefix("{\"type\":\"header\""))
        }
        let live = captured.value.withLock { $0 }
        let file = server.directory.appendingPathComponent("export.jsonl")
        let (count, exported) = try await LogExport.write(log: server.log, to: file, venue: "generic", seed: 0)
        #expect(count == 12)
        #expect(exported == live)
        let outcome = try ReplayRunner.run(url: file, options: ReplayOptions(checkInvariants: true))
        #expect(EngineService.hex(outcome.engine.stateHash) == live)
        try await server.close()
    }

    @Test func failedAppendStopsWritesAnd503s() async throws {
        let directory = TestServer.temporaryDirectory()
        let sqlite = try SQLiteEventLog.open(path: directory.appendingPathComponent("fulcrum.sqlite").path)
        let log = FailingLog(sqlite)
        let clock = ManualClock()
        let service = try await EngineService.open(log: log, clock: clock.function)
        let api = APIServer(service: service, rateLimit: 1_000, clock: clock.function)
        let issued = try APIKeys.issue(role: .operator, account: nil, createdAtMilliseconds: 0)
        try await log.insertAPIKey(issued.record)
        let app = FulcrumServerApplication.make(api: api, port: 0)
        try await app.test(.router) { client in
            #expect(
                try await client.send(.post, "/v1/accounts", key: issued.key, body: #"{"deposit":"1"}"#).status == 201
            )
            log.failing.withLock { $0 = true }
            let failed = try await client.send(.post, "/v1/accounts", key: issued.key, body: #"{"deposit":"1"}"#)
            #expect(failed.status == 503)
            let health = try await client.send(.get, "/healthz", key: nil)
            #expect(health.status == 503)
            log.failing.withLock { $0 = false }
            // Crash-only: no more writes until a restart, even once the log works again.
            #expect(
                try await client.send(.post, "/v1/accounts", key: issued.key, body: #"{"deposit":"1"}"#).status == 503
            )
        }
        await service.close()
        // The restart rebuilds only what was durable.
        let restarted = try await EngineService.open(log: log, clock: clock.function)
        #expect(await restarted.eventSequence == 1)
        await restarted.close()
        try await log.close()
    }
}
