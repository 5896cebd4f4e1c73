/// A rejected analytics input: names the field and the offending value.
public struct AnalyticsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the field and the value.
    public var message: String

    /// Creates an error with a message that names the field and value.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
