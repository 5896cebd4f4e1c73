import Foundation
import FulcrumServer
import FulcrumStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization

/// A settable millisecond clock.
final class ManualClock: Sendable {
    private let now = Mutex<Int64>(1_700_000_000_000)
    var milliseconds: Int64 { now.withLock { $0 } }
    func advance(_ delta: Int64) { now.withLock { $0 += delta } }
    var function: @Sendable () -> Int64 { { [self] in self.milliseconds } }
}

/// A test server over a real SQLite log in a temporary directory, with one key per role.
struct TestServer {
    let directory: URL
    let log: SQLiteEventLog
    let service: EngineService
    let api: APIServer
    let clock: ManualClock
    var operatorKey = ""
    var readOnlyKey = ""
    var oracleKey = ""
    var traderKey = ""

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fulcrum-server-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Opens (or reopens) a server on `directory`; new keys are created unless `keys` are given.
    static func make(
        directory: URL = temporaryDirectory(),
        rateLimit: Int64 = 100_000,
        snapshotEvery: Int64 = 10_000,
        checkpointEvents: Int64 = EngineServiceSettings.defaultCheckpointEvents,
        options: ServerOptions = ServerOptions(),
        traderAccount: Int64 = 1,
        reuseKeys: TestServer? = nil
    ) async throws -> TestServer {
        let log = try SQLiteEventLog.open(path: directory.appendingPathComponent("fulcrum.sqlite").path)
        try await log.migrate()
        let clock = ManualClock()
        let service = try await EngineService.open(
            log: log,
            settings: EngineServiceSettings(snapshotEvery: snapshotEvery, checkpointEvents: checkpointEvents),
            clock: clock.function
        )
        let api = APIServer(service: service, options: options, rateLimit: rateLimit, clock: clock.function)
        var server = TestServer(directory: directory, log: log, service: service, api: api, clock: clock)
        if let reuseKeys {
            server.operatorKey = reuseKeys.operatorKey
            server.readOnlyKey = reuseKeys.readOnlyKey
            server.oracleKey = reuseKeys.oracleKey
            server.traderKey = reuseKeys.traderKey
        } else {
            server.operatorKey = try await server.key(.operator)
            server.readOnlyKey = try await server.key(.readOnly)
            server.oracleKey = try await server.key(.oracle)
            server.traderKey = try await server.key(.trader, account: traderAccount)
        }
        return server
    }

    func key(_ role: APIKeyRole, account: Int64? = nil) async throws -> String {
        let issued = try APIKeys.issue(role: role, account: account, createdAtMilliseconds: clock.milliseconds)
        try await log.insertAPIKey(issued.record)
        return issued.key
    }

    func application() -> some ApplicationProtocol {
        FulcrumServerApplication.make(api: api, host: "127.0.0.1", port: 0)
    }

    func close() async throws {
        await service.close()
        try await log.close()
    }
}

/// One HTTP exchange's outcome.
struct Reply {
    var status: Int
    var body: String
    var headers: HTTPFields

    /// The body as a JSON object.
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }

    /// `error.field` of an error body.
    var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
}

extension TestClientProtocol {
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        key: String?,
        body: String? = nil,
        idempotencyKey: String? = nil,
        contentType: String = "application/json"
    ) async throws -> Reply {
        var headers = HTTPFields()
        if let key { headers[.authorization] = "Bearer \(key)" }
        if body != nil { headers[.contentType] = contentType }
        if let idempotencyKey, let name = HTTPField.Name("Idempotency-Key") { headers[name] = idempotencyKey }
        let response = try await execute(
            uri: uri,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        )
        return Reply(status: Int(response.status.code), body: String(buffer: response.body), headers: response.headers)
    }
}

/// The liquidation scenario of docs/EVENTS.md through the API: account 1 long 100 at 100 with 1,000, marked down
/// to 90.3, is liquidated against the backstop (account 0).
enum Scenario {
    static func setUp(_ client: some TestClientProtocol, _ server: TestServer) async throws -> [Reply] {
        var replies: [Reply] = []
        let op = server.operatorKey
        replies.append(try await client.send(.post, "/v1/markets", key: op, body: #"{"symbol":"BTCUSDT"}"#))
        replies.append(try await client.send(.post, "/v1/accounts", key: op, body: #"{"deposit":"100000"}"#))
        replies.append(try await client.send(.post, "/v1/accounts", key: op, body: #"{"deposit":"1000"}"#))
        replies.append(try await client.send(.post, "/v1/accounts", key: op, body: #"{"deposit":"5000"}"#))
        replies.append(
            try await client.send(
                .post,
                "/v1/prices",
                key: server.oracleKey,
                body: #"{"market":"BTCUSDT","index":"100","mark":"100"}"#
            )
        )
        replies.append(
            try await client.send(
                .post,
                "/v1/fills",
                key: op,
                body: #"{"market":"BTCUSDT","buyer":1,"seller":2,"size":"100","price":"100"}"#
            )
        )
        return replies
    }

    static func crash(_ client: some TestClientProtocol, _ server: TestServer) async throws -> Reply {
        try await client.send(.post, "/v1/prices", key: server.oracleKey, body: #"{"market":"BTCUSDT","mark":"90.3"}"#)
    }
}
