import Foundation
import FulcrumServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ServerProofTests {
    @Test func epochRootAndOwnInclusionProof() async throws {
        let server = try await TestServer.make(traderAccount: 1)
        try await server.application().test(.router) { client in
            _ = try await Scenario.setUp(client, server)
            #expect(try await client.send(.get, "/v1/proofs/root", key: server.readOnlyKey).status == 404)
            #expect(try await client.send(.post, "/v1/proofs/epochs", key: server.traderKey, body: nil).status == 403)
            let built = try await client.send(.post, "/v1/proofs/epochs", key: server.operatorKey, body: nil)
            #expect(built.status == 201)
            #expect(built.json["epoch"] as? Int == 1)
            #expect(built.json["leafCount"] as? Int ?? 0 >= 3)
            let root = try await client.send(.get, "/v1/proofs/root", key: server.traderKey)
            #expect(root.json["root"] as? String == built.json["root"] as? String)
            let own = try await client.send(.get, "/v1/accounts/1/proof", key: server.traderKey)
            #expect(own.status == 200)
            #expect((own.json["proof"] as? String)?.isEmpty == false)
            #expect(try await client.send(.get, "/v1/accounts/2/proof", key: server.traderKey).status == 404)
        }
        try await server.close()
    }
}
