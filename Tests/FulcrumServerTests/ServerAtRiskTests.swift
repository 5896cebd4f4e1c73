import Foundation
import FulcrumServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The dashboard's "closest to liquidation" list comes from the service's liquidation index, not an account scan.
@Suite struct ServerAtRiskTests {
    /// The scenario's two open accounts are listed (the flat one and the backstop are not), the 10x long first once
    /// the mark falls; after the liquidation the long is gone from the list.
    @Test func atRiskListFollowsTheIndex() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.live) { client in
            _ = try await Scenario.setUp(client, server)
            // Account 3 funds a flat account: it must never be listed.
            let down = try await client.send(
                .post,
                "/v1/prices",
                key: server.oracleKey,
                body: #"{"market":"BTCUSDT","mark":"95"}"#
            )
            #expect(down.status == 200)
            #expect(try await Self.listed(client, server) == [1, 2])
            _ = try await Scenario.crash(client, server)
            let after = try await Self.listed(client, server)
            #expect(!after.contains(1), "the liquidated long is flat now: \(after)")
            #expect(!after.contains(0) && !after.contains(3))
        }
        try await server.close()
    }

    /// The account ids of `/v1/overview`'s `closestToLiquidation`, in list order.
    static func listed(_ client: some TestClientProtocol, _ server: TestServer) async throws -> [Int] {
        let overview = try await client.send(.get, "/v1/overview", key: server.readOnlyKey)
        #expect(overview.status == 200)
        let rows = overview.json["closestToLiquidation"] as? [[String: Any]] ?? []
        return rows.compactMap { $0["account"] as? Int }
    }
}
