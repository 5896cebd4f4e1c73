import Foundation
import FulcrumEngine
import FulcrumIO
import FulcrumServer
import FulcrumStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// `POST /v1/batch`: whole-body validation naming `items[i].field`, per-item roles, per-item engine rejections
/// beside accepted items, idempotent retries (also after a restart), durability and exact replay, and the
/// equivalence of a batch with its items sent one by one.
@Suite struct ServerBatchTests {
    static let fill = #"{"type":"fill","market":"BTCUSDT","buyer":0,"seller":2,"size":"1","price":"100"}"#
    static let prices = #"{"type":"prices","market":"BTCUSDT","index":"101","mark":"101"}"#

    static func batch(_ items: [String]) -> String { #"{"items":["# + items.joined(separator: ",") + "]}" }

    static func items(_ reply: Reply) -> [[String: Any]] { reply.json["items"] as? [[String: Any]] ?? [] }

    static func eventSequence(_ client: some TestClientProtocol, _ server: TestServer) async throws -> Int? {
        try await client.send(.get, "/v1/state", key: server.operatorKey).json["eventSequence"] as? Int
    }

    @Test(
        arguments: [
            (
                batch([fill, #"{"type":"fill","market":"BTCUSDT","buyer":0,"seller":2,"size":"1","price":100}"#]),
                "items[1].price"
            ),
            (
                batch([fill, prices, #"{"type":"fill","market":"BTCUSDT","buyer":2,"size":"1","price":"1"}"#]),
                "items[2].seller"
            ),
            (batch([#"{"type":"swap","market":"BTCUSDT"}"#]), "items[0].type"),
            (batch([#"{"market":"BTCUSDT","index":"1"}"#]), "items[0].type"),
            (batch([prices, #"{"type":"prices","market":"BTCUSDT","index":"1","bid":"1"}"#]), "items[1].bid"),
            (batch([prices, #"{"type":"prices","market":"BTCUSDT"}"#]), "items[1].index"),
            (batch([#"{"type":"deposit","account":-1,"amount":"1"}"#]), "items[0].account"),
            (batch([#"{"type":"withdrawal","account":1,"amount":"1e3"}"#]), "items[0].amount"),
            (batch([#"{"type":"funding","market":"<b>"}"#]), "items[0].market"),
            (batch([fill, "7"]), "items[1]"),
            (batch([]), "items"),
            (batch(Array(repeating: prices, count: 257)), "items"),
            (#"{"items":{"type":"fill"}}"#, "items"),
            (#"{"items":[\#(fill)],"atomic":true}"#, "atomic"),
            ("{}", "items"),
        ] as [(String, String)]
    )
    func malformedBatchNamesTheFieldAndAppliesNothing(body: String, field: String) async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            let before = try await client.send(.get, "/v1/state", key: server.operatorKey).json
            let reply = try await client.send(.post, "/v1/batch", key: server.operatorKey, body: body)
            #expect(reply.status == 400, "\(reply.body)")
            #expect(reply.errorField == field, "\(reply.body)")
            let after = try await client.send(.get, "/v1/state", key: server.operatorKey).json
            #expect(after["stateHash"] as? String == before["stateHash"] as? String)
            #expect(after["eventSequence"] as? Int == before["eventSequence"] as? Int)
        }
        try await server.close()
    }

    @Test func rejectedItemsGetTheirOwnErrorWhileTheOthersStand() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            let before = try await Self.eventSequence(client, server) ?? -1
            let reply = try await client.send(
                .post,
                "/v1/batch",
                key: server.operatorKey,
                body: Self.batch([
                    Self.fill,
                    // Far beyond account 2's initial margin.
                    #"{"type":"fill","market":"BTCUSDT","buyer":2,"seller":0,"size":"100000","price":"100"}"#,
                    Self.prices,
                    #"{"type":"deposit","account":99,"amount":"5"}"#,
                    #"{"type":"fill","market":"ETHUSDT","buyer":0,"seller":2,"size":"1","price":"100"}"#,
                    #"{"type":"prices","market":"BTCUSDT","mark":"0"}"#,
                    #"{"type":"deposit","account":2,"amount":"5"}"#,
                ])
            )
            #expect(reply.status == 200, "\(reply.body)")
            let items = Self.items(reply)
            #expect(items.map { $0["status"] as? Int } == [200, 422, 200, 404, 422, 400, 200])
            #expect(reply.json["accepted"] as? Int == 3)
            #expect(reply.json["rejected"] as? Int == 4)
            let errors = items.compactMap { ($0["error"] as? [String: Any])?["field"] as? String }
            #expect(errors.count == 4)
            #expect(errors[1] == "account" && errors[2] == "market" && errors[3] == "mark", "\(errors)")
            // Accepted items carry their own sequences, in order, ending at the batch's last event.
            let sequences = items.compactMap { $0["eventSequence"] as? Int }
            #expect(sequences == sequences.sorted() && sequences.count == 3)
            #expect(reply.json["firstEventSequence"] as? Int == before + 1)
            #expect(reply.json["eventSequence"] as? Int == sequences.last)
            #expect(reply.json["events"] as? Int == 4)  // fill, index, mark, deposit
            #expect(try await Self.eventSequence(client, server) == before + 4)
            let metrics = try await client.send(.get, "/metrics", key: nil).body
            #expect(metrics.contains(#"fulcrum_events_rejected_total{type="trade"} 2"#), "\(metrics)")
        }
        try await server.close()
    }

    @Test func everyItemNeedsItsRoleOrNothingIsApplied() async throws {
        let server = try await TestServer.make(traderAccount: 2)
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            let before = try await Self.eventSequence(client, server)
            let own = #"{"type":"deposit","account":2,"amount":"5"}"#
            let other = #"{"type":"withdrawal","account":1,"amount":"5"}"#
            let cases: [(String, String, String)] = [
                (server.traderKey, Self.batch([own, other]), "items[1]"),
                (server.traderKey, Self.batch([own, Self.fill]), "items[1]"),
                (server.oracleKey, Self.batch([Self.prices, own]), "items[1]"),
                (server.readOnlyKey, Self.batch([Self.prices]), "items[0]"),
            ]
            for (key, body, field) in cases {
                let reply = try await client.send(.post, "/v1/batch", key: key, body: body)
                #expect(reply.status == 403, "\(body): \(reply.body)")
                #expect(reply.errorField == field, "\(body): \(reply.body)")
            }
            #expect(try await Self.eventSequence(client, server) == before)
            let mine = try await client.send(.post, "/v1/batch", key: server.traderKey, body: Self.batch([own, own]))
            #expect(mine.status == 200 && mine.json["accepted"] as? Int == 2, "\(mine.body)")
            let oracle = try await client.send(
                .post,
                "/v1/batch",
                key: server.oracleKey,
                body: Self.batch([Self.prices, #"{"type":"funding","market":"BTCUSDT","rate":"0.0001"}"#])
            )
            #expect(oracle.status == 200 && oracle.json["accepted"] as? Int == 2, "\(oracle.body)")
            #expect(try await client.send(.post, "/v1/batch", key: nil, body: Self.batch([own])).status == 401)
        }
        try await server.close()
    }

    @Test func idempotentRetryReturnsTheSameReplyAndAppliesNothing() async throws {
        let server = try await TestServer.make()
        let body = Self.batch([
            Self.fill, #"{"type":"fill","market":"NOPE","buyer":0,"seller":2,"size":"1","price":"1"}"#, Self.prices,
        ])
        let first = Locked<String?>(nil)
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            let reply = try await client.send(
                .post,
                "/v1/batch",
                key: server.operatorKey,
                body: body,
                idempotencyKey: "batch-1"
            )
            #expect(reply.status == 200 && reply.json["accepted"] as? Int == 2, "\(reply.body)")
            first.value.withLock { $0 = reply.body }
            let state = try await client.send(.get, "/v1/state", key: server.operatorKey).json
            let retry = try await client.send(
                .post,
                "/v1/batch",
                key: server.operatorKey,
                body: body,
                idempotencyKey: "batch-1"
            )
            #expect(retry.status == 200 && retry.body == reply.body)
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let again = try await client.send(.get, "/v1/state", key: server.operatorKey).json
            #expect(again["stateHash"] as? String == state["stateHash"] as? String)
            #expect(again["eventSequence"] as? Int == state["eventSequence"] as? Int)
            let reused = try await client.send(
                .post,
                "/v1/batch",
                key: server.operatorKey,
                body: Self.batch([Self.prices]),
                idempotencyKey: "batch-1"
            )
            #expect(reused.status == 409 && reused.errorField == "Idempotency-Key")
            // The key is scoped to the batch route's request: the same key on a single route is another request.
            let single = try await client.send(
                .post,
                "/v1/prices",
                key: server.operatorKey,
                body: #"{"market":"BTCUSDT","index":"101","mark":"101"}"#,
                idempotencyKey: "batch-1"
            )
            #expect(single.status == 409)
        }
        try await server.close()
        let reopened = try await TestServer.make(directory: server.directory, reuseKeys: server)
        try await reopened.application().test(.router) { client in
            let before = try await Self.eventSequence(client, reopened)
            let retry = try await client.send(
                .post,
                "/v1/batch",
                key: reopened.operatorKey,
                body: body,
                idempotencyKey: "batch-1"
            )
            #expect(retry.status == 200)
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(retry.body == first.value.withLock { $0 })
            #expect(try await Self.eventSequence(client, reopened) == before)
        }
        try await reopened.close()
    }

    @Test func batchEventsAreLoggedAndTheExportReplaysToTheLiveHash() async throws {
        let server = try await TestServer.make(snapshotEvery: 5)
        let live = Locked<String?>(nil)
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            let before = try await Self.eventSequence(client, server) ?? -1
            // The mark drop liquidates account 1 inside the batch: its sweep is logged between the items.
            let reply = try await client.send(
                .post,
                "/v1/batch",
                key: server.operatorKey,
                body: Self.batch([
                    Self.fill,
                    #"{"type":"prices","market":"BTCUSDT","mark":"90.3"}"#,
                    #"{"type":"funding","market":"BTCUSDT","rate":"0.0001"}"#,
                    #"{"type":"deposit","account":2,"amount":"7"}"#,
                ])
            )
            #expect(reply.status == 200 && reply.json["accepted"] as? Int == 4, "\(reply.body)")
            let types = Self.items(reply).flatMap { $0["eventTypes"] as? [String] ?? [] }
            #expect(types.prefix(3) == ["trade", "mark", "sweep"], "\(types)")
            let last = reply.json["eventSequence"] as? Int ?? -1
            #expect(last == before + types.count)
            // Durable when acknowledged: the log already holds every event of the batch.
            let logged = try await server.log.events(after: Int64(before), limit: 100)
            #expect(logged.count == types.count)
            #expect(logged.last?.sequence == Int64(last))
            let effects = try await client.send(.get, "/v1/effects?limit=1000", key: server.operatorKey).body
            #expect(effects.contains("\"kind\":\"liquidationFill\""), "\(effects)")
            let metrics = try await client.send(.get, "/metrics", key: nil).body
            #expect(metrics.contains(#"fulcrum_events_accepted_total{type="sweep"} 1"#), "\(metrics)")
            let hash = try await client.send(.get, "/v1/state", key: server.operatorKey).json["stateHash"] as? String
            live.value.withLock { $0 = hash }
        }
        let hash = live.value.withLock { $0 }
        let file = server.directory.appendingPathComponent("export.jsonl")
        let (_, exported) = try await LogExport.write(log: server.log, to: file, venue: "generic", seed: 0)
        #expect(exported == hash)
        let outcome = try ReplayRunner.run(url: file, options: ReplayOptions(checkInvariants: true))
        #expect(EngineService.hex(outcome.engine.stateHash) == hash)
        try await server.close()
        let reopened = try await TestServer.make(directory: server.directory, snapshotEvery: 5, reuseKeys: server)
        try await reopened.application().test(.router) { client in
            let state = try await client.send(.get, "/v1/state", key: reopened.operatorKey).json
            #expect(state["stateHash"] as? String == hash)
        }
        try await reopened.close()
    }

    /// Seeded random writes (valid and refused, prices that liquidate): one server gets them as batches, another one
    /// by one on their own routes. Every item's entry is exactly the single route's reply (status and body), and the
    /// two servers end in the same state hash.
    @Test(arguments: [11, 12, 13] as [UInt64])
    func aBatchIsItsItemsSentOneByOne(seed: UInt64) async throws {
        let writes = ServerPropertyTests.writes(seed: seed, count: 150).compactMap(Self.item)
        let batched = try await TestServer.make()
        let single = try await TestServer.make()
        let hashes = Locked<[String]>([])
        let batchedApp = batched.application()
        let singleApp = single.application()
        try await batchedApp.test(.router) { batchedClient in
            try await singleApp.test(.router) { singleClient in
                _ = try await Scenario.setUp(batchedClient, batched)
                _ = try await Scenario.setUp(singleClient, single)
                var random = SplitMixRandom(seed: seed)
                var start = 0
                var checked = 0
                var accepted = 0
                var rejected = 0
                while start < writes.count {
                    let size = min(writes.count - start, 1 + random.below(40))
                    let chunk = writes[start..<(start + size)]
                    start += size
                    let reply = try await batchedClient.send(
                        .post,
                        "/v1/batch",
                        key: batched.operatorKey,
                        body: Self.batch(chunk.map(\.item))
                    )
                    try #require(reply.status == 200, "\(reply.body)")
                    let entries = Self.entries(reply.body)
                    try #require(entries.count == chunk.count)
                    for (write, entry) in zip(chunk, entries) {
                        let one = try await singleClient.send(
                            .post,
                            write.path,
                            key: single.operatorKey,
                            body: write.body
                        )
                        // A batch item names its account in `account`, where the single route has the path's `id`.
                        let expected = "{\"status\":\(one.status)," + one.body.dropFirst()
                        let renamed = expected.replacingOccurrences(
                            of: "\"field\":\"id\"",
                            with: "\"field\":\"account\""
                        )
                        #expect(entry == renamed, "\(write.item)")
                        checked += 1
                        if one.status < 300 { accepted += 1 } else { rejected += 1 }
                    }
                }
                #expect(checked == writes.count)
                #expect(accepted > 30 && rejected > 10, "\(accepted) accepted, \(rejected) rejected")
                let states = [
                    try await batchedClient.send(.get, "/v1/state", key: batched.operatorKey).json,
                    try await singleClient.send(.get, "/v1/state", key: single.operatorKey).json,
                ]
                for state in states {
                    #expect((state["invariants"] as? [String: Any])?["ok"] as? Bool == true)
                    hashes.value.withLock { $0.append(state["stateHash"] as? String ?? "") }
                }
            }
        }
        let both = hashes.value.withLock { $0 }
        #expect(both.count == 2 && both[0] == both[1])
        try await batched.close()
        try await single.close()
    }

    /// A single write as a batch item (the item types a batch takes), or nil.
    static func item(_ write: ServerPropertyTests.Write) -> (item: String, path: String, body: String)? {
        let members = write.body.dropFirst()
        func account(_ path: String) -> String { path.split(separator: "/")[2].description }
        switch write.path {
        case "/v1/fills": return (#"{"type":"fill","# + members, write.path, write.body)
        case "/v1/prices": return (#"{"type":"prices","# + members, write.path, write.body)
        case "/v1/funding": return (#"{"type":"funding","# + members, write.path, write.body)
        case let path where path.hasSuffix("/deposits") && path.hasPrefix("/v1/accounts/"):
            return (#"{"type":"deposit","account":\#(account(path)),"# + members, path, write.body)
        case let path where path.hasSuffix("/withdrawals"):
            return (#"{"type":"withdrawal","account":\#(account(path)),"# + members, path, write.body)
        default: return nil
        }
    }

    /// The raw JSON text of each entry of a batch reply's `items` (split at depth one, strings respected).
    static func entries(_ body: String) -> [String] {
        guard let range = body.range(of: "\"items\":[") else { return [] }
        var entries: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var current = ""
        for character in body[range.upperBound...] {
            if inString {
                current.append(character)
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
                continue
            }
            switch character {
            case "\"":
                inString = true
                current.append(character)
            case "{", "[":
                depth += 1
                current.append(character)
            case "}", "]":
                if depth == 0 { return entries }
                depth -= 1
                current.append(character)
                if depth == 0 {
                    entries.append(current)
                    current = ""
                }
            case ",":
                if depth > 0 { current.append(character) }
            default:
                current.append(character)
            }
        }
        return entries
    }
}
