/// A bad command-line value for an analytics command: names the option and the value.
public struct AnalyticsInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the option and value.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
