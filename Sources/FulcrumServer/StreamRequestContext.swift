public import Hummingbird
public import HummingbirdWebSocket
public import NIOCore

/// The request context of the WebSocket router: Hummingbird's basic WebSocket context plus the connection's channel,
/// so a stream that must drop a slow client can close the connection even while a write to it is stuck.
public struct StreamRequestContext: RequestContext, WebSocketRequestContext {
    /// Hummingbird's per-request storage (logger, path, parameters).
    public var coreContext: CoreRequestContextStorage
    /// The WebSocket handler chosen by the route (set by the upgrade).
    public let webSocket: WebSocketHandlerReference<Self>
    /// The connection.
    public let channel: any Channel

    /// Creates the context of one upgrade request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}
