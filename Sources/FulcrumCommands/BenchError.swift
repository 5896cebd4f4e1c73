/// A `fulcrum bench` failure: unknown workload, absent data, or generated input the engine rejected.
public struct BenchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, naming the value.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
