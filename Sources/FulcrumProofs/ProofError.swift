/// A rejected input, a malformed proof or a proof that does not verify.
///
/// The message names the field and the value (or the check) that failed, so the CLI can print it as is.
public struct ProofError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: String, Hashable, Sendable {
        /// The venue's input (accounts, secret, epoch, configuration) is invalid.
        case invalidInput = "invalid-input"
        /// The proof bytes cannot be decoded (wrong magic, truncated, trailing bytes, out-of-range field).
        case malformed = "malformed"
        /// The proof decodes but does not verify against the published root.
        case verificationFailed = "verification-failed"
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// What went wrong, naming the field and the value.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
