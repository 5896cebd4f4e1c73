public import Hummingbird
import HummingbirdWebSocket
public import Logging
import NIOCore

/// Builds and runs the Hummingbird application that serves an ``APIServer`` (HTTP/1.1 with WebSocket upgrade).
public enum FulcrumServerApplication {
    /// The application bound to `host:port` (`port` 0 picks a free port; `onListening` receives the bound port).
    public static func make(
        api: APIServer,
        host: String = "127.0.0.1",
        port: Int = 8080,
        logLevel: Logger.Level = .warning,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var logger = Logger(label: "fulcrum-serve")
        logger.logLevel = logLevel
        let router = api.router()
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: api.streamRouter(), configuration: .init()),
            configuration: .init(address: .hostname(host, port: port), serverName: "fulcrum"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// Runs the application until SIGTERM or SIGINT (graceful shutdown: in-flight requests finish).
    ///
    /// - Throws: bind and server errors.
    public static func run(
        api: APIServer,
        host: String,
        port: Int,
        onListening: @escaping @Sendable (Int) async -> Void
    ) async throws {
        try await make(api: api, host: host, port: port, onListening: onListening).runService()
    }
}
