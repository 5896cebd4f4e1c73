/// The header line of an event log: format version, default venue, and the engine seed (pseudo-random ADL).
public struct EventLogHeader: Sendable, Hashable {
    /// Default venue for listings that name none.
    public var venue: String?
    /// Seed of the engine that produced/consumes the log (dYdX-style pseudo-random ADL start); 0 when absent.
    public var seed: UInt64?

    /// Creates a header.
    public init(venue: String? = nil, seed: UInt64? = nil) {
        self.venue = venue
        self.seed = seed
    }

    /// The header as a JSON line.
    public var line: String {
        var text = "{\"type\":\"header\",\"format\":\"\(EventCodec.formatName)\",\"v\":\(EventCodec.version)"
        if let venue { text += ",\"venue\":\"\(venue)\"" }
        if let seed { text += ",\"seed\":\(seed)" }
        return text + "}"
    }
}
