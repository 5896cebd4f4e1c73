public import FulcrumCore

/// HTTP-level options of the API.
public struct ServerOptions: Sendable, Hashable {
    /// Largest accepted request body in bytes (`--max-body`, default 64 KiB); larger bodies get 413.
    public var maxBodyBytes: Int
    /// Whether the dashboard's data (`/v1/overview`, `/v1/heatmap.svg`, `/v1/stream`) is readable without a key
    /// (`--public-dashboard`); otherwise the page asks for a read-only key.
    public var publicDashboard: Bool
    /// Book depth per heatmap bucket when the request names none.
    public var heatmapDepth: Money
    /// Milliseconds a stream client dropped for a full buffer gets to read what is already queued for it (its data,
    /// then the end message) before its connection is closed regardless.
    public var streamCloseGraceMilliseconds: Int64

    /// Creates options.
    public init(
        maxBodyBytes: Int = 65_536,
        publicDashboard: Bool = false,
        heatmapDepth: Money = Money(raw: 100_000_000_000_000),
        streamCloseGraceMilliseconds: Int64 = 5_000
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.publicDashboard = publicDashboard
        self.heatmapDepth = heatmapDepth
        self.streamCloseGraceMilliseconds = streamCloseGraceMilliseconds
    }
}
