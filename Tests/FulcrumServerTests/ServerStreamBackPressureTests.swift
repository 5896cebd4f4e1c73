import Dispatch
import Foundation
import FulcrumCore
import FulcrumServer
import FulcrumStore
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWebSocket
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A stream client that stops reading must not stall the engine or the other clients; it is dropped once its
/// bounded buffer overflows, told why and where to resume, and its connection is closed.
@Suite struct ServerStreamBackPressureTests {
    /// One slow client (a raw socket that stops reading after the handshake) and one normal client; writes go on
    /// until the slow one overflows its 1,024-message buffer. Every write is acknowledged; the normal client receives
    /// every effect without a gap; the slow one, when it reads again, finds a contiguous prefix, then the end message
    /// (`slow-consumer`, `resumeFrom` = its last sequence), then end of stream; it resumes with `from=` and the
    /// stream continues without a gap.
    @Test func aSlowClientIsDroppedAndResumesWhileOthersKeepUp() async throws {
        let harness = try await StreamHarness.make(buffer: 1_024, graceMilliseconds: 120_000)
        try await harness.application.test(.live) { client in
            let port = try #require(client.port)
            let start = try await harness.seed(client)
            let slow = try await RawStreamClient.connect(port: port, path: "/v1/stream?from=\(start)", key: harness.key)
            let target = Locked<Int>(Int.max)
            let fastSequences = Locked<[Int]>([])
            let key = harness.key
            let fast = Task {
                try await client.ws("/v1/stream?from=\(start)&access_token=\(key)") { inbound, _, _ in
                    var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    while let message = try await iterator.next() {
                        guard case .text(let text) = message, let sequence = StreamHarness.sequence(text) else {
                            continue
                        }
                        fastSequences.value.withLock { $0.append(sequence) }
                        if sequence >= target.value.withLock({ $0 }) { break }
                    }
                }
            }
            try await harness.waitForSubscribers(2)
            let written = try await harness.writeUntilDropped()
            #expect(written > 0)
            #expect(await harness.service.subscriberCount == 1)
            // The normal client saw everything: ask for the last sequence plus one more write to end its loop.
            let last = Int(await harness.service.effectSequence)
            target.value.withLock { $0 = last + 1 }
            try await harness.price(written)
            _ = try await fast.value
            let seen = fastSequences.value.withLock { $0 }
            try #require(!seen.isEmpty)
            #expect(seen == Array((start + 1)..<(start + 1 + seen.count)))
            #expect((seen.last ?? 0) >= last + 1)
            // The slow client reads again: a contiguous prefix, the end message, end of stream.
            let frames = await slow.readToEnd()
            let data = frames.dropLast().compactMap(StreamHarness.sequence)
            let end = try #require(frames.last.flatMap(StreamHarness.object))
            #expect(end["type"] as? String == "end")
            #expect(end["reason"] as? String == "slow-consumer")
            #expect((end["message"] as? String)?.contains("from=") == true)
            let resume = try #require(end["resumeFrom"] as? Int)
            #expect(data == Array((start + 1)..<(start + 1 + data.count)))
            #expect(resume == data.last ?? start)
            #expect(resume < last, "the slow client was cut off long before the end: its buffer is bounded")
            // It resumes where it stopped and catches up without a gap.
            let resumed = Locked<[Int]>([])
            try await client.ws("/v1/stream?from=\(resume)&access_token=\(key)") { inbound, _, _ in
                var iterator = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                while let message = try await iterator.next() {
                    guard case .text(let text) = message, let sequence = StreamHarness.sequence(text) else { continue }
                    resumed.value.withLock { $0.append(sequence) }
                    if sequence >= last + 1 { break }
                }
            }
            #expect(resumed.value.withLock { $0 } == Array((resume + 1)...(last + 1)))
            let metrics = try await client.send(.get, "/metrics", key: nil).body
            let drops = StreamHarness.gauge(metrics, "fulcrum_stream_slow_disconnects_total")
            #expect(drops.map { $0 >= 1 } == true, "slow disconnects: \(drops.map(String.init) ?? "missing")")
        }
        try await harness.close()
    }

    /// A client that never reads again is disconnected by the server after the close grace (the connection gauge
    /// returns to 0 without any help from the client), and writes are acknowledged all along.
    @Test func aClientThatNeverReadsIsDisconnected() async throws {
        let harness = try await StreamHarness.make(buffer: 256, graceMilliseconds: 200)
        try await harness.application.test(.live) { client in
            let port = try #require(client.port)
            let start = try await harness.seed(client)
            let slow = try await RawStreamClient.connect(port: port, path: "/v1/stream?from=\(start)", key: harness.key)
            try await harness.waitForSubscribers(1)
            let written = try await harness.writeUntilDropped()
            #expect(written > 0)
            var open = -1
            for _ in 0..<3_000 {
                let metrics = try await client.send(.get, "/metrics", key: nil).body
                open = StreamHarness.gauge(metrics, "fulcrum_stream_connections") ?? -1
                if open == 0 { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(open == 0)
            // Writes still go through after the drop.
            try await harness.price(written)
            slow.close()
        }
        try await harness.close()
    }
}

/// A server with a small stream buffer, an operator key, and helpers to write and wait.
struct StreamHarness {
    let directory: URL
    let log: SQLiteEventLog
    let service: EngineService
    let api: APIServer
    let key: String
    let principal = Principal(keyID: "stream-test", role: .operator, account: nil)

    static func make(buffer: Int, graceMilliseconds: Int64) async throws -> StreamHarness {
        let directory = TestServer.temporaryDirectory()
        let log = try SQLiteEventLog.open(path: directory.appendingPathComponent("fulcrum.sqlite").path)
        try await log.migrate()
        let clock: @Sendable () -> Int64 = { 1_700_000_000_000 }
        let service = try await EngineService.open(
            log: log,
            settings: EngineServiceSettings(subscriberBuffer: buffer),
            clock: clock
        )
        let options = ServerOptions(streamCloseGraceMilliseconds: graceMilliseconds)
        let api = APIServer(service: service, options: options, rateLimit: 1_000_000, clock: clock)
        let issued = try APIKeys.issue(role: .operator, account: nil, createdAtMilliseconds: 0)
        try await log.insertAPIKey(issued.record)
        return StreamHarness(directory: directory, log: log, service: service, api: api, key: issued.key)
    }

    var application: some ApplicationProtocol {
        FulcrumServerApplication.make(api: api, host: "127.0.0.1", port: 0)
    }

    /// Lists BTCUSDT and sets its prices; returns the effect sequence after that.
    func seed(_ client: some TestClientProtocol) async throws -> Int {
        let market = try await client.send(.post, "/v1/markets", key: key, body: #"{"symbol":"BTCUSDT"}"#)
        #expect(market.status == 201)
        try await price(0)
        return Int(await service.effectSequence)
    }

    /// One oracle write (index and mark), acknowledged.
    func price(_ step: Int) async throws {
        let value = step % 2 == 0 ? "100" : "100.5"
        let reply = await service.submit(
            .prices(market: "BTCUSDT", index: try Price(parsing: value), mark: try Price(parsing: value)),
            principal: principal
        )
        guard case .success = reply else { throw HarnessError(message: "write \(step) failed: \(reply)") }
    }

    /// Writes batches of 16 concurrent oracle updates (at most 32 effects per group commit, well inside the
    /// buffer of a client that reads) until a subscriber is dropped; returns the writes made.
    func writeUntilDropped() async throws -> Int {
        let before = await service.subscriberCount
        var written = 0
        while await service.subscriberCount == before {
            guard written < 200_000 else { throw HarnessError(message: "no subscriber was dropped") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for step in written..<(written + 16) { group.addTask { try await price(step) } }
                try await group.waitForAll()
            }
            written += 16
        }
        return written
    }

    func waitForSubscribers(_ count: Int) async throws {
        for _ in 0..<3_000 {
            if await service.subscriberCount >= count { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(await service.subscriberCount == count)
    }

    func close() async throws {
        await service.close()
        try await log.close()
    }

    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    static func sequence(_ text: String) -> Int? { object(text)?["sequence"] as? Int }

    /// A gauge's value in the `/metrics` text.
    static func gauge(_ text: String, _ name: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Int(line.dropFirst(name.count + 1))
        }
        return nil
    }

    struct HarnessError: Error { var message: String }
}

/// A WebSocket client on a raw socket with a small receive buffer, so that it can stop reading (the server's
/// writes then back up) and later read everything the server sent, frame by frame, until end of stream.
final class RawStreamClient: Sendable {
    let socket: Int32

    private init(socket: Int32) { self.socket = socket }

    /// Connects, sends the upgrade request and reads the 101 response; then reads nothing until asked.
    static func connect(port: Int, path: String, key: String) async throws -> RawStreamClient {
        let result: Result<Int32, StreamHarness.HarnessError> = await blocking {
            let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return .failure(.init(message: "socket() failed")) }
            var small: Int32 = 4_096
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            var timeout = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { return .failure(.init(message: "connect() failed")) }
            let request =
                "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer \(key)\r\n\r\n"
            let bytes = Array(request.utf8)
            guard send(fd, bytes, bytes.count, 0) == bytes.count else { return .failure(.init(message: "send failed")) }
            // Read the response head one byte at a time (never past it: frames follow).
            var head: [UInt8] = []
            var byte: UInt8 = 0
            while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
                guard recv(fd, &byte, 1, 0) == 1 else { return .failure(.init(message: "no upgrade response")) }
                head.append(byte)
            }
            guard String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 101") else {
                return .failure(.init(message: "upgrade refused: \(String(decoding: head, as: UTF8.self))"))
            }
            return .success(fd)
        }
        return RawStreamClient(socket: try result.get())
    }

    /// Reads until end of stream (or a 60 s stall) and returns the text frames' payloads in order.
    func readToEnd() async -> [String] {
        let fd = socket
        let bytes: [UInt8] = await Self.blocking {
            var all: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = recv(fd, &chunk, chunk.count, 0)
                if count <= 0 { break }
                all += chunk[0..<count]
            }
            return all
        }
        close()
        return Self.textFrames(bytes)
    }

    func close() { _ = Glibc.close(socket) }

    /// The payloads of the unmasked text frames in `bytes` (a truncated last frame is ignored).
    static func textFrames(_ bytes: [UInt8]) -> [String] {
        var frames: [String] = []
        var offset = 0
        while offset + 2 <= bytes.count {
            let opcode = bytes[offset] & 0x0F
            var length = Int(bytes[offset + 1] & 0x7F)
            var start = offset + 2
            if length == 126 {
                guard start + 2 <= bytes.count else { break }
                length = Int(bytes[start]) << 8 | Int(bytes[start + 1])
                start += 2
            } else if length == 127 {
                guard start + 8 <= bytes.count else { break }
                length = bytes[start..<(start + 8)].reduce(0) { $0 << 8 | Int($1) }
                start += 8
            }
            guard start + length <= bytes.count else { break }
            if opcode == 1 { frames.append(String(decoding: bytes[start..<(start + length)], as: UTF8.self)) }
            offset = start + length
        }
        return frames
    }

    /// Runs blocking socket work on a Dispatch thread, not on the cooperative pool.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
