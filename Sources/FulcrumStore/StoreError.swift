/// A failure of the durable log: a rejected append, a bad `--database` value, a corrupt row, a database error.
/// The message names the field and the value (or the sequence).
///
/// A rejected ``EventLog/append(events:effects:)`` leaves the log unchanged.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure (stable, for programs); the message is for people.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// An appended sequence does not continue the log (gap, duplicate or out of order).
        case sequenceGap = "sequence-gap"
        /// An idempotency key is already in the log (or twice in one batch).
        case duplicateIdempotencyKey = "duplicate-idempotency-key"
        /// An API key with this id already exists.
        case duplicateAPIKey = "duplicate-api-key"
        /// An argument is malformed (`--database`, a URL field, a snapshot beyond the log, …).
        case invalidArgument = "invalid-argument"
        /// The request asks for something this build does not do (e.g. TLS to PostgreSQL).
        case unsupported = "unsupported"
        /// A stored row could not be read back (unknown role, malformed hash, …).
        case corruptRecord = "corrupt-record"
        /// The database reported an error (connection, I/O, constraint); the message carries its text.
        case database = "database"
        /// The log was used after ``EventLog/close()``.
        case closed = "closed"
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, naming the field and the value.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
