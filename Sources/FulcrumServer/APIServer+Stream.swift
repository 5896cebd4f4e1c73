import FulcrumStore
import Hummingbird
import HummingbirdWebSocket

/// `GET /v1/stream?from=N`: stored effects with sequence > N from the log, then live ones, one JSON object per
/// message, in sequence order without gaps or duplicates.
extension APIServer {
    func addStream(_ router: Router<BasicWebSocketRequestContext>) {
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
            let (id, boundary, stream) = await service.subscribe()
            let log = service.log
            let writer = Task {
                var cursor = from ?? boundary
                do {
                    // History from the log up to the boundary the subscription started at, then the live feed.
                    while cursor < boundary {
                        let page = try await log.effects(after: cursor, limit: 500)
                        if page.isEmpty { break }
                        for effect in page where effect.sequence <= boundary {
                            try await outbound.write(.text(effect.json))
                            cursor = effect.sequence
                        }
                        if page.last.map({ $0.sequence >= boundary }) ?? true { break }
                    }
                    for await message in stream where message.sequence > cursor {
                        try await outbound.write(.text(message.json))
                        cursor = message.sequence
                    }
                    // Lagged or shutting down: tell the client where to resume (it closes and reconnects).
                    if !Task.isCancelled {
                        try await outbound.write(.text("{\"type\":\"end\",\"resumeFrom\":\(cursor)}"))
                    }
                } catch {
                    try? await outbound.write(.text("{\"type\":\"end\",\"resumeFrom\":\(cursor)}"))
                }
            }
            do {
                for try await _ in inbound {}
            } catch {}
            writer.cancel()
            await service.unsubscribe(id)
        }
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
