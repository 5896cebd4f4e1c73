import FulcrumStore
public import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// `GET /v1/stream?from=N`: stored effects with sequence > N from the log, then live ones, one JSON object per
/// message, in sequence order without gaps or duplicates.
///
/// Back-pressure: the service buffers at most `subscriberBuffer` messages per client and never waits for one. A
/// client that stops reading (or reads slower than effects are committed) fills its buffer and is dropped: it
/// receives what was already handed to the socket, then `{"type":"end","reason":"slow-consumer","resumeFrom":N}`,
/// then end of stream; if it does not read that within the close grace the connection is closed anyway. Either
/// way it resumes with `from=` its last sequence. The engine and the other clients never wait for it.
extension APIServer {
    /// The router for WebSocket upgrades: the stream route with the connection's channel in its context.
    public func streamRouter() -> Router<StreamRequestContext> {
        let router = Router(context: StreamRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        addStream(router) { $0.channel }
        return router
    }

    /// Adds `GET /v1/stream` to `router`; `channel` gives the connection of a context when it has one.
    func addStream<Context: WebSocketRequestContext>(
        _ router: Router<Context>,
        channel: @escaping @Sendable (Context) -> (any Channel)? = { _ in nil }
    ) {
        router.ws("/v1/stream") { request, _ in
            let principal = try await authorize(request, access: .dashboard)
            guard principal.mayReadAllAccounts else {
                throw APIError.forbidden("the stream names every account: operator or read-only keys only")
            }
            _ = try Self.streamStart(request)
            guard request.headers[HeaderNames.upgrade]?.lowercased() == "websocket" else {
                throw APIError(
                    status: 426,
                    code: "upgrade-required",
                    field: "Upgrade",
                    message: "GET /v1/stream is a WebSocket: send Connection: Upgrade and Upgrade: websocket"
                )
            }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let from = (try? Self.streamStart(context.request)) ?? nil
            let metrics = service.metrics
            metrics.streamOpened()
            defer { metrics.streamClosed() }
            let grace = TimeAmount.milliseconds(max(0, options.streamCloseGraceMilliseconds))
            // The connection exists before the subscription so that an overflow can never be missed.
            let connection = StreamConnection(cursor: from ?? 0, channel: channel(context.requestContext), grace: grace)
            let (id, boundary, stream) = await service.subscribe { connection.overflow() }
            if from == nil { connection.sent(boundary) }
            let log = service.log
            let pump = Task {
                do {
                    // History from the log up to the boundary the subscription started at, then the live feed.
                    var cursor = connection.cursor
                    while cursor < boundary {
                        let page = try await log.effects(after: cursor, limit: 500)
                        if page.isEmpty { break }
                        for effect in page where effect.sequence <= boundary {
                            try await outbound.write(.text(effect.json))
                            cursor = effect.sequence
                            connection.sent(cursor)
                        }
                        if page.last.map({ $0.sequence >= boundary }) ?? true { break }
                    }
                    for await message in stream where message.sequence > cursor {
                        try await outbound.write(.text(message.json))
                        cursor = message.sequence
                        connection.sent(cursor)
                    }
                } catch {}
            }
            connection.start(pump)
            let writer = Task {
                await pump.value
                // Lagged, shutting down or the history failed: tell the client where to resume.
                let overflowed = connection.overflowed
                let end = Self.endMessage(
                    resumeFrom: connection.cursor,
                    overflowed: overflowed,
                    buffer: service.settings.subscriberBuffer
                )
                try? await outbound.write(.text(end))
                if overflowed { connection.finishOutput() }
            }
            do {
                for try await _ in inbound {}
            } catch {}
            pump.cancel()
            writer.cancel()
            await service.unsubscribe(id)
        }
    }

    /// The last message of a stream: why it ends and the sequence to resume from.
    static func endMessage(resumeFrom: Int64, overflowed: Bool, buffer: Int) -> String {
        var o = JSONObjectText()
        o.string("type", "end")
        o.string("reason", overflowed ? "slow-consumer" : "closing")
        o.string(
            "message",
            overflowed
                ? "this client read slower than effects were committed and its buffer of \(buffer) messages "
                    + "overflowed; reconnect with from=\(resumeFrom) (or the last sequence received)"
                : "the stream is closing; reconnect with from=\(resumeFrom)"
        )
        o.int("resumeFrom", resumeFrom)
        return o.json
    }

    /// The `from` query parameter (a non-negative effect sequence), or `nil` for "live only".
    static func streamStart(_ request: Request) throws(APIError) -> Int64? {
        guard let text = request.uri.queryParameters["from"] else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw .badRequest(
                "invalid-query",
                field: "from",
                value: String(text),
                "from must be a non-negative integer"
            )
        }
        return value
    }
}
