/// The service could not start: the log or the snapshot is unreadable or does not replay.
public struct EngineServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, naming the sequence and field.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
