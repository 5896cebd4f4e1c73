public import FulcrumCore

/// A rejected lab input or a failed lab computation, naming the field and the value.
public struct LabError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, naming the field and the value.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// Wraps a fixed-point failure with the field that caused it.
    public init(field: String, _ error: ArithmeticError) { message = "\(field): \(error)" }

    public var description: String { message }
}
