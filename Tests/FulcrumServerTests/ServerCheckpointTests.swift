import Foundation
import FulcrumServer
import FulcrumStore
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The service's two-phase WAL checkpoints (issue 6): every `checkpointEvents` events a checkpoint on the log's
/// second connection, then one on the writer for the frames committed meanwhile, after which the WAL restarts.
@Suite struct ServerCheckpointTests {
    /// The count of a Prometheus sample in `/metrics`.
    static func sample(_ metrics: String, _ name: String) -> Int {
        for line in metrics.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Int(line.dropFirst(name.count + 1)) ?? -1
        }
        return -1
    }

    @Test func eachSecondConnectionCheckpointIsFollowedByOneOnTheWriter() async throws {
        let server = try await TestServer.make(checkpointEvents: 20)
        let writes = 400
        let result = Locked<(metrics: String, sequence: Int?)>(("", nil))
        try await server.application().test(.router) { client in
            #expect(
                try await client.send(.post, "/v1/accounts", key: server.operatorKey, body: #"{"deposit":"10"}"#).status
                    == 201
            )
            for _ in 0..<writes {
                let reply = try await client.send(
                    .post,
                    "/v1/accounts/0/deposits",
                    key: server.operatorKey,
                    body: #"{"amount":"1"}"#
                )
                #expect(reply.status == 200)
            }
            let metrics = try await client.send(.get, "/metrics", key: nil).body
            let state = try await client.send(.get, "/v1/state", key: server.operatorKey).json
            result.value.withLock { $0 = (metrics, state["eventSequence"] as? Int) }
        }
        let (metrics, sequence) = result.value.withLock { $0 }
        let concurrent = Self.sample(metrics, "fulcrum_checkpoint_duration_seconds_count")
        let onWriter = Self.sample(metrics, "fulcrum_writer_checkpoint_duration_seconds_count")
        // 401 events at 20 per checkpoint: about 20 (one may still run, the first waits for 20 events).
        #expect(concurrent >= 10)
        // The writer's phase follows each finished one (the limit of 100,000 events is never reached here).
        #expect(onWriter >= concurrent - 1 && onWriter <= concurrent)
        #expect(Self.sample(metrics, "fulcrum_checkpoint_failures_total") == 0)
        // The WAL restarted from its start: it holds at most a few checkpoints' worth of commits, not all 401.
        let wal = (try? FileManager.default.attributesOfItem(atPath: server.log.path + "-wal"))?[.size] as? Int ?? 0
        #expect(wal > 0 && wal < 401 * 4_096)
        #expect(sequence == writes + 1)
        try await server.close()
        // Nothing was lost: every event is in the log after the checkpoints.
        let reopened = try SQLiteEventLog.open(path: server.log.path)
        #expect(try await reopened.lastEventSequence() == Int64(writes + 1))
        try await reopened.close()
    }
}
