/// One WebSocket stream message: an effect (including price updates) as JSON with its effect sequence.
public struct StreamMessage: Sendable, Hashable {
    /// The effect sequence (the resume cursor).
    public var sequence: Int64
    /// The JSON object sent.
    public var json: String

    /// Creates a message.
    public init(sequence: Int64, json: String) {
        self.sequence = sequence
        self.json = json
    }
}
