import Foundation
import FulcrumServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ServerAPITests {
    @Test func happyPathLiquidatesAndLogsEffects() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            let setup = try await Scenario.setUp(client, server)
            #expect(setup.map(\.status) == [201, 201, 201, 201, 200, 200])
            #expect(setup[2].json["account"] as? Int == 1)
            let crash = try await Scenario.crash(client, server)
            #expect(crash.status == 200)
            // The mark update is followed by its own logged sweep event that liquidated account 1.
            #expect(crash.json["eventTypes"] as? [String] == ["mark", "sweep"])
            let effects = try await client.send(.get, "/v1/effects?after=0&limit=1000", key: server.readOnlyKey)
            #expect(effects.status == 200)
            let kinds = (effects.json["effects"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("liquidationFill"))
            let account = try await client.send(.get, "/v1/accounts/1", key: server.operatorKey)
            #expect(account.status == 200)
            #expect((account.json["positions"] as? [Any])?.isEmpty == true)
            let backstop = try await client.send(.get, "/v1/accounts/0", key: server.operatorKey)
            let positions = backstop.json["positions"] as? [[String: Any]] ?? []
            #expect(positions.first?["size"] as? String == "100")
            let state = try await client.send(.get, "/v1/state", key: server.readOnlyKey)
            #expect(state.json["eventSequence"] as? Int == 9)
            #expect((state.json["invariants"] as? [String: Any])?["ok"] as? Bool == true)
            let metrics = try await client.send(.get, "/metrics", key: nil)
            #expect(metrics.body.contains("fulcrum_liquidations_total 1"))
            #expect(metrics.body.contains("fulcrum_http_request_duration_seconds_bucket{le=\"0.0005\"}"))
            let page = try await client.send(.get, "/", key: nil)
            #expect(page.status == 200 && page.body.contains("<svg"))
            let overview = try await client.send(.get, "/v1/overview", key: server.readOnlyKey)
            #expect(overview.status == 200 && overview.json["closestToLiquidation"] != nil)
        }
        try await server.close()
    }

    @Test func rolesAreEnforced() async throws {
        let server = try await TestServer.make(traderAccount: 1)
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            let trader = server.traderKey
            #expect(try await client.send(.get, "/v1/accounts/1", key: trader).status == 200)
            // Another account: not found (existence is not leaked), writes forbidden.
            let other = try await client.send(.get, "/v1/accounts/2", key: trader)
            #expect(other.status == 404)
            let before = try await client.send(.get, "/v1/state", key: server.operatorKey).json["stateHash"] as? String
            let move = try await client.send(.post, "/v1/accounts/2/withdrawals", key: trader, body: #"{"amount":"1"}"#)
            #expect(move.status == 403)
            let deposit = try await client.send(.post, "/v1/accounts/2/deposits", key: trader, body: #"{"amount":"1"}"#)
            #expect(deposit.status == 403)
            let after = try await client.send(.get, "/v1/state", key: server.operatorKey).json["stateHash"] as? String
            #expect(before == after)
            #expect(
                try await client.send(.post, "/v1/accounts/1/deposits", key: trader, body: #"{"amount":"1"}"#).status
                    == 200
            )
            #expect(try await client.send(.get, "/v1/effects", key: trader).status == 403)
            #expect(
                try await client.send(.post, "/v1/prices", key: trader, body: #"{"market":"BTCUSDT","mark":"101"}"#)
                    .status == 403
            )
            // Oracle: prices and funding only.
            let fill = #"{"market":"BTCUSDT","buyer":1,"seller":2,"size":"1","price":"100"}"#
            #expect(try await client.send(.post, "/v1/fills", key: server.oracleKey, body: fill).status == 403)
            #expect(try await client.send(.get, "/v1/accounts/1", key: server.oracleKey).status == 404)
            // Read-only: reads everything, writes nothing.
            #expect(try await client.send(.get, "/v1/accounts/2", key: server.readOnlyKey).status == 200)
            #expect(
                try await client.send(
                    .post,
                    "/v1/accounts/1/deposits",
                    key: server.readOnlyKey,
                    body: #"{"amount":"1"}"#
                )
                .status == 403
            )
            #expect(try await client.send(.get, "/v1/events", key: server.readOnlyKey).status == 403)
            #expect(try await client.send(.get, "/v1/events", key: server.operatorKey).status == 200)
            // No key, malformed key, unknown key.
            #expect(try await client.send(.get, "/v1/state", key: nil).status == 401)
            #expect(try await client.send(.get, "/v1/state", key: "nonsense").status == 401)
            let forged = String(server.operatorKey.dropLast()) + (server.operatorKey.hasSuffix("0") ? "1" : "0")
            #expect(try await client.send(.get, "/v1/state", key: forged).status == 401)
            #expect(try await client.send(.get, "/v1/overview", key: nil).status == 401)
        }
        try await server.close()
    }

    @Test func idempotentRetryIsAppliedOnce() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            let first = try await client.send(
                .post,
                "/v1/accounts/1/deposits",
                key: server.operatorKey,
                body: #"{"amount":"10"}"#,
                idempotencyKey: "retry-1"
            )
            #expect(first.status == 200)
            let state1 = try await client.send(.get, "/v1/state", key: server.operatorKey).json
            let retry = try await client.send(
                .post,
                "/v1/accounts/1/deposits",
                key: server.operatorKey,
                body: #"{"amount":"10"}"#,
                idempotencyKey: "retry-1"
            )
            #expect(retry.status == 200)
            #expect(retry.body == first.body)
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let state2 = try await client.send(.get, "/v1/state", key: server.operatorKey).json
            #expect(state1["stateHash"] as? String == state2["stateHash"] as? String)
            #expect(state1["eventSequence"] as? Int == state2["eventSequence"] as? Int)
            let reused = try await client.send(
                .post,
                "/v1/accounts/1/deposits",
                key: server.operatorKey,
                body: #"{"amount":"11"}"#,
                idempotencyKey: "retry-1"
            )
            #expect(reused.status == 409)
            #expect(reused.errorField == "Idempotency-Key")
            let bad = try await client.send(
                .post,
                "/v1/accounts/1/deposits",
                key: server.operatorKey,
                body: #"{"amount":"1"}"#,
                idempotencyKey: String(repeating: "k", count: 129)
            )
            #expect(bad.status == 400 && bad.errorField == "Idempotency-Key")
        }
        // After a restart the key is found in the log: still applied once.
        try await server.close()
        let reopened = try await TestServer.make(directory: server.directory, reuseKeys: server)
        try await reopened.application().test(.router) { client in
            let before =
                try await client.send(.get, "/v1/state", key: reopened.operatorKey).json["eventSequence"] as? Int
            let retry = try await client.send(
                .post,
                "/v1/accounts/1/deposits",
                key: reopened.operatorKey,
                body: #"{"amount":"10"}"#,
                idempotencyKey: "retry-1"
            )
            #expect(retry.status == 200)
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let after =
                try await client.send(.get, "/v1/state", key: reopened.operatorKey).json["eventSequence"] as? Int
            #expect(before == after)
        }
        try await reopened.close()
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        let server = try await TestServer.make(rateLimit: 1)
        try await server.application().test(.router) { client in
            // Burst 2 (twice the rate), clock frozen: the third request is limited.
            #expect(try await client.send(.get, "/v1/state", key: server.readOnlyKey).status == 200)
            #expect(try await client.send(.get, "/v1/state", key: server.readOnlyKey).status == 200)
            let limited = try await client.send(.get, "/v1/state", key: server.readOnlyKey)
            #expect(limited.status == 429)
            #expect(limited.headers[.retryAfter] == "1")
            // Another key has its own bucket; time refills.
            #expect(try await client.send(.get, "/v1/state", key: server.operatorKey).status == 200)
            server.clock.advance(1_000)
            #expect(try await client.send(.get, "/v1/state", key: server.readOnlyKey).status == 200)
        }
        try await server.close()
    }

    @Test(
        arguments: [
            ("/v1/accounts/1/deposits", #"{"amount":100}"#, 400, "amount"),
            ("/v1/accounts/1/deposits", #"{"amount":"abc"}"#, 400, "amount"),
            ("/v1/accounts/1/deposits", #"{"amount":"1.000000001"}"#, 400, "amount"),
            ("/v1/accounts/1/deposits", #"{"amount":"99999999999999999999"}"#, 400, "amount"),
            ("/v1/accounts/1/deposits", #"{"amount":"-5"}"#, 422, "amount"),
            ("/v1/accounts/1/deposits", #"{"amount":"1","extra":true}"#, 400, "extra"),
            ("/v1/accounts/1/deposits", #"{"amount":"1","amount":"2"}"#, 400, "amount"),
            ("/v1/accounts/1/deposits", #"{}"#, 400, "amount"),
            ("/v1/accounts/1/deposits", #"[1,2]"#, 400, "body"),
            ("/v1/accounts/1/deposits", #"{"amount":"1""#, 400, "body"),
            ("/v1/accounts/99/deposits", #"{"amount":"1"}"#, 404, "id"),
            ("/v1/accounts/x/deposits", #"{"amount":"1"}"#, 400, "id"),
            ("/v1/accounts/1/withdrawals", #"{"amount":"1000000"}"#, 422, "amount"),
            ("/v1/fills", #"{"market":"NOPE","buyer":1,"seller":2,"size":"1","price":"100"}"#, 422, "market"),
            ("/v1/fills", #"{"market":"BTCUSDT","buyer":1,"seller":77,"size":"1","price":"100"}"#, 422, "seller"),
            ("/v1/fills", #"{"market":"BTCUSDT","buyer":"1","seller":2,"size":"1","price":"100"}"#, 400, "buyer"),
            ("/v1/fills", #"{"market":"BTCUSDT","buyer":1,"seller":2,"size":"0","price":"100"}"#, 422, "size"),
            ("/v1/prices", #"{"market":"BTCUSDT","mark":"0"}"#, 400, "mark"),
            ("/v1/prices", #"{"market":"BTCUSDT"}"#, 400, "index"),
            ("/v1/prices", #"{"market":"<script>","mark":"1"}"#, 400, "market"),
            ("/v1/accounts/1/margin-mode", #"{"market":"BTCUSDT","mode":"both"}"#, 400, "mode"),
            ("/v1/accounts/1/leverage", #"{"market":"BTCUSDT","leverage":"1000"}"#, 422, "leverage"),
            ("/v1/markets", #"{"symbol":"BTCUSDT"}"#, 422, nil),
            ("/v1/markets", #"{"symbol":"X","tick":0.1,"step":"1","tiers":[]}"#, 400, "tick"),
            ("/v1/insurance-fund/deposits", #"{"amount":"-1"}"#, 422, "amount"),
        ] as [(String, String, Int, String?)]
    )
    func badInputIsRejectedAndStateUnchanged(path: String, body: String, status: Int, field: String?) async throws {
        let server = try await TestServer.make()
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            let before = try await client.send(.get, "/v1/state", key: server.operatorKey).json
            let reply = try await client.send(.post, path, key: server.operatorKey, body: body)
            #expect(reply.status == status, "\(path) \(body): \(reply.body)")
            if let field { #expect(reply.errorField == field, "\(reply.body)") }
            #expect((reply.json["error"] as? [String: Any])?["message"] is String)
            let after = try await client.send(.get, "/v1/state", key: server.operatorKey).json
            #expect(before["stateHash"] as? String == after["stateHash"] as? String)
            #expect(before["eventSequence"] as? Int == after["eventSequence"] as? Int)
        }
        try await server.close()
    }

    @Test func oversizedBodyAndWrongMediaTypeAndUnknownRoute() async throws {
        let server = try await TestServer.make(options: ServerOptions(maxBodyBytes: 1_024))
        try await server.application().test(.router) { client in
            let huge = #"{"amount":""# + String(repeating: "1", count: 2_000) + #""}"#
            let reply = try await client.send(.post, "/v1/accounts", key: server.operatorKey, body: huge)
            #expect(reply.status == 413 && reply.errorField == "body")
            let text = try await client.send(
                .post,
                "/v1/accounts",
                key: server.operatorKey,
                body: #"{"deposit":"1"}"#,
                contentType: "text/plain"
            )
            #expect(text.status == 415 && text.errorField == "Content-Type")
            let missing = try await client.send(.get, "/v1/nothing", key: nil)
            #expect(missing.status == 404 && missing.errorField == "path")
            #expect(try await client.send(.get, "/healthz", key: nil).status == 200)
        }
        try await server.close()
    }
}
