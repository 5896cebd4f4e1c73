/// A malformed or rejected line of an event log: the line number, the field and what is wrong.
public struct EventDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number in the file (0 when not from a file).
    public var line: Int
    /// The offending field (`"price"`, `"type"`, …), or `"json"` for syntax errors.
    public var field: String
    /// What is wrong, with the value.
    public var message: String

    /// Creates an error.
    public init(line: Int, field: String, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String { "line \(line): field \"\(field)\": \(message)" }
}
