import Foundation
import FulcrumServer
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Synchronization
import Testing

@Suite struct ServerStreamTests {
    @Test func streamResumesFromASequenceWithoutGapsOrDuplicates() async throws {
        let server = try await TestServer.make()
        try await server.application().test(.live) { client in
            _ = try await Scenario.setUp(client, server)
            let total =
                try await client.send(.get, "/v1/state", key: server.readOnlyKey).json["effectSequence"] as? Int ?? 0
            #expect(total > 5)
            let received = Locked<[Int]>([])
            let kinds = Locked<[String]>([])
            let key = server.readOnlyKey
            try await client.ws("/v1/stream?from=3&access_token=\(key)") { inbound, _, _ in
                var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                var crashed = false
                while let message = try await iterator.next() {
                    guard case .text(let text) = message,
                        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                        let sequence = object["sequence"] as? Int
                    else { continue }
                    received.value.withLock { $0.append(sequence) }
                    kinds.value.withLock { $0.append(object["kind"] as? String ?? "") }
                    if sequence == total && !crashed {
                        // Switch-over: the history is sent; now a live write must follow seamlessly.
                        crashed = true
                        _ = try await Scenario.crash(client, server)
                    }
                    if kinds.value.withLock({ $0.contains("liquidationFill") }) { break }
                }
            }
            let sequences = received.value.withLock { $0 }
            #expect(sequences.first == 4)
            #expect(sequences == Array(4..<(4 + sequences.count)))
            #expect(kinds.value.withLock { $0.contains("markPrice") && $0.contains("liquidationFill") })
            let forbidden = try await client.send(.get, "/v1/stream", key: server.traderKey)
            #expect(forbidden.status == 403)
            let plain = try await client.send(.get, "/v1/stream", key: server.readOnlyKey)
            #expect(plain.status == 426 && plain.errorField == "Upgrade")
        }
        try await server.close()
    }
}

/// A mutex-protected value that closures can capture (a `Mutex` itself is not copyable).
final class Locked<Value: Sendable>: Sendable {
    let value: Mutex<Value>
    init(_ initial: Value) { value = Mutex(initial) }
}
