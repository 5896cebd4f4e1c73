import Foundation
import FulcrumServer
import FulcrumTestSupport
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import FulcrumStore

/// Issue 8's server part and issue 6's persistence: proof epochs are stored, survive a restart (SQLite and
/// PostgreSQL), keep their numbering, rebuild to the stored roots, and the proofs they hand out verify with
/// `fulcrum verify`.
@Suite("Proof epochs persist", .serialized)
struct ProofEpochPersistenceTests {
    /// A service over any log, with an operator, a read-only and a trader (account 1) key.
    struct EpochServer {
        let log: any EventLog
        let service: EngineService
        let api: APIServer
        var operatorKey: String
        var readOnlyKey: String
        var oracleKey: String
        var traderKey: String

        static func open(_ log: any EventLog, keys: EpochServer? = nil) async throws -> EpochServer {
            let clock = ManualClock()
            let service = try await EngineService.open(log: log, clock: clock.function)
            let api = APIServer(service: service, rateLimit: 100_000, clock: clock.function)
            if let keys {
                return EpochServer(
                    log: log,
                    service: service,
                    api: api,
                    operatorKey: keys.operatorKey,
                    readOnlyKey: keys.readOnlyKey,
                    oracleKey: keys.oracleKey,
                    traderKey: keys.traderKey
                )
            }
            func key(_ role: APIKeyRole, _ account: Int64? = nil) async throws -> String {
                let issued = try APIKeys.issue(role: role, account: account, createdAtMilliseconds: 0)
                try await log.insertAPIKey(issued.record)
                return issued.key
            }
            return EpochServer(
                log: log,
                service: service,
                api: api,
                operatorKey: try await key(.operator),
                readOnlyKey: try await key(.readOnly),
                oracleKey: try await key(.oracle),
                traderKey: try await key(.trader, 1)
            )
        }

        func application() -> some ApplicationProtocol { FulcrumServerApplication.make(api: api, port: 0) }

        func close() async throws {
            await service.close()
            try await log.close()
        }
    }

    /// What the first server published, checked after the restart.
    struct Published: Sendable {
        var roots: [String] = []
        var proofs: [String] = []
    }

    /// Builds epochs 1 and 2 (state changes in between), restarts on the same storage, checks everything, builds
    /// epoch 3; then tampers with the stored root of the latest epoch and expects recovery to refuse.
    func restartScenario(
        open: () async throws -> any EventLog,
        execute: (any EventLog, String) async throws -> Void
    ) async throws {
        let first = try await EpochServer.open(try await open())
        let published = Locked(Published())
        try await first.application().test(.router) { client in
            let op = first.operatorKey
            #expect(try await client.send(.post, "/v1/markets", key: op, body: #"{"symbol":"BTCUSDT"}"#).status == 201)
            for deposit in ["100000", "1000", "5000"] {
                let created = try await client.send(.post, "/v1/accounts", key: op, body: #"{"deposit":"\#(deposit)"}"#)
                #expect(created.status == 201)
            }
            _ = try await client.send(
                .post,
                "/v1/prices",
                key: first.oracleKey,
                body: #"{"market":"BTCUSDT","index":"100","mark":"100"}"#
            )
            _ = try await client.send(
                .post,
                "/v1/fills",
                key: op,
                body: #"{"market":"BTCUSDT","buyer":1,"seller":2,"size":"10","price":"100"}"#
            )
            let one = try await client.send(.post, "/v1/proofs/epochs", key: op, body: nil)
            #expect(one.status == 201 && one.json["epoch"] as? Int == 1, "\(one.body)")
            _ = try await client.send(.post, "/v1/accounts/2/deposits", key: op, body: #"{"amount":"250"}"#)
            let two = try await client.send(.post, "/v1/proofs/epochs", key: op, body: nil)
            #expect(two.status == 201 && two.json["epoch"] as? Int == 2, "\(two.body)")
            #expect(two.json["totalLiabilities"] as? String != one.json["totalLiabilities"] as? String)
            let p1 = try await client.send(.get, "/v1/accounts/1/proof?epoch=1", key: first.traderKey)
            let p2 = try await client.send(.get, "/v1/accounts/1/proof", key: first.traderKey)
            #expect(p1.json["epoch"] as? Int == 1 && p2.json["epoch"] as? Int == 2)
            published.value.withLock {
                $0.roots = [one.json["root"] as? String ?? "", two.json["root"] as? String ?? ""]
                $0.proofs = [p1.json["proof"] as? String ?? "", p2.json["proof"] as? String ?? ""]
            }
        }
        try await first.close()
        let before = published.value.withLock { $0 }
        #expect(before.roots[0] != before.roots[1])

        // Restart on the same storage: the latest epoch is rebuilt and checked; older ones on demand.
        let second = try await EpochServer.open(try await open(), keys: first)
        try await second.application().test(.router) { client in
            let list = try await client.send(.get, "/v1/proofs/epochs", key: second.readOnlyKey)
            #expect(list.status == 200)
            let epochs = list.json["epochs"] as? [[String: Any]] ?? []
            #expect(epochs.map { $0["epoch"] as? Int } == [2, 1])
            #expect(epochs.map { $0["root"] as? String ?? "" } == before.roots.reversed())
            #expect(epochs.allSatisfy { $0["accounts"] == nil && $0["createdAt"] is Int })
            let root = try await client.send(.get, "/v1/proofs/root", key: second.traderKey)
            #expect(root.json["root"] as? String == before.roots[1])
            let single = try await client.send(.get, "/v1/proofs/epochs/1", key: second.oracleKey)
            #expect(single.status == 200 && single.json["root"] as? String == before.roots[0])
            for (index, query) in ["?epoch=1", ""].enumerated() {
                let proof = try await client.send(.get, "/v1/accounts/1/proof\(query)", key: second.traderKey)
                #expect(proof.status == 200, "\(proof.body)")
                // The rebuilt tree hands out the very same proof bytes.
                #expect(proof.json["proof"] as? String == before.proofs[index])
                #expect(proof.json["root"] as? String == before.roots[index])
            }
            // A trader still reads only its own account, in any epoch.
            let other = try await client.send(.get, "/v1/accounts/2/proof?epoch=1", key: second.traderKey)
            #expect(other.status == 404 && other.errorField == "id")
            let operatorView = try await client.send(.get, "/v1/accounts/2/proof?epoch=1", key: second.operatorKey)
            #expect(operatorView.status == 200)
            let three = try await client.send(.post, "/v1/proofs/epochs", key: second.operatorKey, body: nil)
            #expect(three.status == 201 && three.json["epoch"] as? Int == 3, "\(three.body)")
        }
        try await second.close()

        // The same proofs verify with `fulcrum verify` against their own epoch's root, and not against the other.
        let binary = try FulcrumBinary.locate()
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        for index in 0..<2 {
            let file = "\(directory.path)/account-1-epoch-\(index + 1).proof"
            try Data(try Self.bytes(hex: before.proofs[index])).write(to: URL(fileURLWithPath: file))
            let good = try binary.run(["verify", "--root", before.roots[index], "--proof", file])
            #expect(good.status == 0, "epoch \(index + 1): \(good.stdout) \(good.stderr)")
            let wrong = try binary.run(["verify", "--root", before.roots[1 - index], "--proof", file])
            #expect(wrong.status == 1, "epoch \(index + 1) against the other root: \(wrong.stderr)")
        }

        // Tampering with the stored root of the latest epoch: recovery refuses to start, naming the epoch.
        let tampered = try await open()
        let fake = String(repeating: "ab", count: 32)
        try await execute(tampered, "UPDATE proof_epochs SET root_hash = '\(fake)' WHERE epoch = 3")
        do {
            let service = try await EngineService.open(log: tampered, clock: { 0 })
            await service.close()
            Issue.record("recovery accepted a tampered root")
        } catch let error as EngineServiceError {
            #expect(error.message.contains("proof epoch 3"), "\(error)")
            #expect(error.message.contains("stored root is \(fake)"), "\(error)")
        }
        try await tampered.close()
    }

    @Test func epochsSurviveARestartOnSQLite() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = "\(directory.path)/fulcrum.sqlite"
        try await restartScenario(
            open: {
                let log = try SQLiteEventLog.open(path: path)
                try await log.migrate()
                return log
            },
            execute: { log, sql in try await (log as? SQLiteEventLog)?.execute(sql: sql) }
        )
    }

    @Test func epochsSurviveARestartOnPostgreSQL() async throws {
        _ = try await PostgresHarness.withServer { server in
            let url = try PostgresURL(try server.createDatabase())
            try await restartScenario(
                open: {
                    let log = try await PostgresEventLog.connect(url: url)
                    try await log.migrate()
                    return log
                },
                execute: { log, sql in try await (log as? PostgresEventLog)?.execute(sql: sql) }
            )
        }
    }

    /// A stored commitment whose totals were altered (root left alone) is refused too; a corrupt older epoch does not
    /// stop the server but its proofs answer 500 naming the epoch.
    @Test func tamperedTotalsAndCorruptOlderEpochs() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = "\(directory.path)/fulcrum.sqlite"
        func open() async throws -> SQLiteEventLog {
            let log = try SQLiteEventLog.open(path: path)
            try await log.migrate()
            return log
        }
        let first = try await EpochServer.open(try await open())
        try await first.application().test(.router) { client in
            _ = try await client.send(.post, "/v1/accounts", key: first.operatorKey, body: #"{"deposit":"10"}"#)
            _ = try await client.send(.post, "/v1/accounts", key: first.operatorKey, body: #"{"deposit":"20"}"#)
            for _ in 0..<2 {
                #expect(try await client.send(.post, "/v1/proofs/epochs", key: first.operatorKey).status == 201)
            }
        }
        try await first.close()

        let corrupt = try await open()
        try await corrupt.execute(
            sql: "UPDATE proof_epochs SET liabilities = substr(liabilities, 1, 30) WHERE epoch = 1"
        )
        let second = try await EpochServer.open(corrupt, keys: first)
        try await second.application().test(.router) { client in
            let latest = try await client.send(.get, "/v1/accounts/1/proof", key: second.traderKey)
            #expect(latest.status == 200)
            let broken = try await client.send(.get, "/v1/accounts/1/proof?epoch=1", key: second.traderKey)
            #expect(broken.status == 500 && broken.errorField == "epoch", "\(broken.body)")
            #expect(broken.body.contains("proof epoch 1"))
        }
        try await second.close()

        let altered = try await open()
        try await altered.execute(sql: "UPDATE proof_epochs SET total_liabilities = '1' WHERE epoch = 2")
        do {
            let service = try await EngineService.open(log: altered, clock: { 0 })
            await service.close()
            Issue.record("recovery accepted altered totals")
        } catch let error as EngineServiceError {
            #expect(error.message.contains("proof epoch 2"), "\(error)")
            #expect(error.message.contains("differs from the rebuilt one"), "\(error)")
        }
        try await altered.close()
    }

    @Test func badAndUnknownEpochsAreNamed() async throws {
        let server = try await TestServer.make(traderAccount: 1)
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            let key = server.readOnlyKey
            // Before any epoch.
            #expect(try await client.send(.get, "/v1/proofs/epochs", key: key).body == #"{"epochs":[],"next":null}"#)
            let none = try await client.send(.get, "/v1/accounts/1/proof?epoch=1", key: key)
            #expect(none.status == 404 && none.errorField == "epoch")
            for _ in 0..<3 {
                #expect(try await client.send(.post, "/v1/proofs/epochs", key: server.operatorKey).status == 201)
            }
            #expect(try await client.send(.post, "/v1/proofs/epochs", key: key).status == 403)
            for (uri, status, field, value) in [
                ("/v1/proofs/epochs/99", 404, "epoch", "99"),
                ("/v1/proofs/epochs/0", 404, "epoch", "0"),
                ("/v1/proofs/epochs/-1", 400, "epoch", "-1"),
                ("/v1/proofs/epochs/1.5", 400, "epoch", "1.5"),
                ("/v1/proofs/epochs/abc", 400, "epoch", "abc"),
                ("/v1/proofs/epochs/99999999999999999999", 400, "epoch", "99999999999999999999"),
                ("/v1/accounts/1/proof?epoch=99", 404, "epoch", "99"),
                ("/v1/accounts/1/proof?epoch=0", 404, "epoch", "0"),
                ("/v1/accounts/1/proof?epoch=-2", 400, "epoch", "-2"),
                ("/v1/accounts/1/proof?epoch=x", 400, "epoch", "x"),
                ("/v1/accounts/1/proof?epoch=", 400, "epoch", ""),
                ("/v1/accounts/9/proof?epoch=1", 404, "id", "9"),
                ("/v1/proofs/epochs?limit=0", 400, "limit", "0"),
                ("/v1/proofs/epochs?limit=1001", 400, "limit", "1001"),
                ("/v1/proofs/epochs?before=x", 400, "before", "x"),
            ] {
                let reply = try await client.send(.get, uri, key: key)
                #expect(reply.status == status, "\(uri): \(reply.body)")
                #expect(reply.errorField == field, "\(uri): \(reply.body)")
                let error = reply.json["error"] as? [String: Any]
                #expect(error?["value"] as? String == value, "\(uri): \(reply.body)")
            }
            // Paging newest first with a `before` cursor.
            let page = try await client.send(.get, "/v1/proofs/epochs?limit=2", key: key)
            #expect((page.json["epochs"] as? [[String: Any]])?.map { $0["epoch"] as? Int } == [3, 2])
            #expect(page.json["next"] as? Int == 2)
            let rest = try await client.send(.get, "/v1/proofs/epochs?limit=2&before=2", key: key)
            #expect((rest.json["epochs"] as? [[String: Any]])?.map { $0["epoch"] as? Int } == [1])
            #expect(rest.json["next"] is NSNull)
            // Older epochs from the cache and from the store give proofs against their own roots.
            for epoch in [1, 2, 1, 3] {
                let proof = try await client.send(.get, "/v1/accounts/1/proof?epoch=\(epoch)", key: key)
                let summary = try await client.send(.get, "/v1/proofs/epochs/\(epoch)", key: key)
                #expect(proof.status == 200 && proof.json["epoch"] as? Int == epoch)
                #expect(proof.json["root"] as? String == summary.json["root"] as? String)
            }
        }
        try await server.close()
    }

    /// Concurrent builds are serialized: every 201 carries a distinct epoch, 1…n without gaps, every other answer
    /// is 409 naming `epoch`, and the store lists exactly the n built epochs.
    @Test func concurrentBuildsNeverShareANumber() async throws {
        let server = try await TestServer.make(traderAccount: 1)
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await client.send(.post, "/v1/proofs/epochs", key: server.operatorKey) }
                }
                return try await group.reduce(into: [Reply]()) { $0.append($1) }
            }
            let built = replies.filter { $0.status == 201 }.compactMap { $0.json["epoch"] as? Int }.sorted()
            #expect(!built.isEmpty)
            #expect(built == Array(1...max(1, built.count)))
            for refused in replies where refused.status != 201 {
                #expect(refused.status == 409 && refused.errorField == "epoch", "\(refused.body)")
            }
            let list = try await client.send(.get, "/v1/proofs/epochs", key: server.readOnlyKey)
            #expect((list.json["epochs"] as? [[String: Any]])?.count == built.count)
        }
        try await server.close()
    }

    static func bytes(hex: String) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { throw HarnessError("odd hex length \(digits.count)") }
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                throw HarnessError("not hex at \(index)")
            }
            return byte
        }
    }
}
