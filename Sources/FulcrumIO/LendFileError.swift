/// A malformed lending input file (position JSON or events JSONL): the message names the line or field and value.
public struct LendFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, where.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
