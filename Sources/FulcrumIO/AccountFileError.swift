/// A malformed account file; the message names the JSON field (path) and the offending value.
public struct AccountFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. `positions[1].entry "abc" is not a decimal number`.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
