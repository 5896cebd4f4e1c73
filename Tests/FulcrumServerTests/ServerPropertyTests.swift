import Foundation
import FulcrumEngine
import FulcrumIO
import FulcrumServer
import FulcrumStore
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Seeded random write streams through the API (valid and invalid, prices that liquidate): every rejection leaves
/// the state hash unchanged, nothing answers 5xx, the invariants hold, a restart over the same SQLite file (with
/// snapshots in between) rebuilds the same hash, and the exported log replays to it.
@Suite struct ServerPropertyTests {
    struct Write: Sendable {
        var path: String
        var body: String
        var oracle: Bool
    }

    static func writes(seed: UInt64, count: Int) -> [Write] {
        var random = SplitMixRandom(seed: seed)
        func decimal(_ low: Int, _ high: Int, decimals: Int) -> String {
            let whole = low + random.below(high - low + 1)
            let fraction = decimals == 0 ? "" : "." + String(random.below(Int(pow(10, Double(decimals)))))
            return "\(whole)\(fraction)"
        }
        var out: [Write] = []
        for _ in 0..<count {
            let account = random.below(5)
            switch random.below(10) {
            case 0:
                out.append(
                    Write(
                        path: "/v1/accounts/\(account)/deposits",
                        body: #"{"amount":"\#(decimal(0, 3000, decimals: 2))"}"#,
                        oracle: false
                    )
                )
            case 1:
                out.append(
                    Write(
                        path: "/v1/accounts/\(account)/withdrawals",
                        body: #"{"amount":"\#(decimal(0, 3000, decimals: 2))"}"#,
                        oracle: false
                    )
                )
            case 2, 3:
                let buyer = random.below(4)
                let seller = random.below(4)
                out.append(
                    Write(
                        path: "/v1/fills",
                        body:
                            #"{"market":"BTCUSDT","buyer":\#(buyer),"seller":\#(seller),"size":"\#(decimal(0, 60, decimals: 3))","price":"\#(decimal(80, 120, decimals: 1))","buyerFee":"0.0005"}"#,
                        oracle: false
                    )
                )
            case 4, 5:
                out.append(
                    Write(
                        path: "/v1/prices",
                        body:
                            #"{"market":"BTCUSDT","index":"\#(decimal(70, 130, decimals: 1))","mark":"\#(decimal(70, 130, decimals: 1))"}"#,
                        oracle: true
                    )
                )
            case 6:
                let sign = random.below(2) == 0 ? "" : "-"
                out.append(
                    Write(
                        path: "/v1/funding",
                        body: #"{"market":"BTCUSDT","rate":"\#(sign)0.00\#(random.below(90) + 10)"}"#,
                        oracle: true
                    )
                )
            case 7:
                out.append(
                    Write(
                        path: "/v1/accounts/\(account)/leverage",
                        body: #"{"market":"BTCUSDT","leverage":"\#(1 + random.below(130))"}"#,
                        oracle: false
                    )
                )
            case 8:
                out.append(
                    Write(
                        path: "/v1/insurance-fund/deposits",
                        body: #"{"amount":"\#(decimal(1, 500, decimals: 0))"}"#,
                        oracle: false
                    )
                )
            default:
                out.append(Write(path: "/v1/liquidations/sweep", body: "{}", oracle: false))
            }
        }
        return out
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomWritesKeepInvariantsAndReplayExactly(seed: UInt64) async throws {
        let server = try await TestServer.make(snapshotEvery: 7)
        let writes = Self.writes(seed: seed, count: 120)
        let live = Locked<String?>(nil)
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            _ = try await client.send(.post, "/v1/accounts", key: server.operatorKey, body: #"{"deposit":"2000"}"#)
            var before = try await client.send(.get, "/v1/state", key: server.operatorKey).json["stateHash"] as? String
            var accepted = 0
            for write in writes {
                let key = write.oracle ? server.oracleKey : server.operatorKey
                let reply = try await client.send(.post, write.path, key: key, body: write.body)
                #expect(reply.status < 500, "\(write.path) \(write.body): \(reply.body)")
                let state = try await client.send(.get, "/v1/state", key: server.operatorKey).json
                let after = state["stateHash"] as? String
                if reply.status >= 400 {
                    #expect(after == before, "rejected \(write.path) \(write.body) changed the state")
                    #expect(reply.errorField != nil || reply.status == 404, "\(reply.body)")
                } else {
                    accepted += 1
                }
                #expect((state["invariants"] as? [String: Any])?["ok"] as? Bool == true, "\(state)")
                before = after
            }
            #expect(accepted > 20)
            live.value.withLock { $0 = before }
        }
        let hash = live.value.withLock { $0 }
        let file = server.directory.appendingPathComponent("export.jsonl")
        let (_, exported) = try await LogExport.write(log: server.log, to: file, venue: "generic", seed: 0)
        #expect(exported == hash)
        _ = try ReplayRunner.run(url: file, options: ReplayOptions(checkInvariants: true))
        #expect(try await server.log.latestSnapshot() != nil)
        try await server.close()
        let reopened = try await TestServer.make(directory: server.directory, snapshotEvery: 7, reuseKeys: server)
        try await reopened.application().test(.router) { client in
            let state = try await client.send(.get, "/v1/state", key: reopened.operatorKey).json
            #expect(state["stateHash"] as? String == hash)
        }
        try await reopened.close()
    }
}
