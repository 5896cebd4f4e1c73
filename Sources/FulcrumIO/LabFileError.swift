/// A lab file that cannot be read, written or parsed; the message names the file and the problem.
public struct LabFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
