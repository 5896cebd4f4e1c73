public import FulcrumCore

/// A rejected event or a broken invariant. The message names the field and the value.
///
/// A rejected event leaves the engine's state unchanged (its ``ClearingEngine/stateHash`` is the same before
/// and after).
public struct EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure (stable, for programs); the message is for people.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A field is malformed or out of range (non-positive price, size off the step grid, …).
        case invalidField = "invalid-field"
        /// The account does not exist.
        case unknownAccount = "unknown-account"
        /// The market does not exist.
        case unknownMarket = "unknown-market"
        /// A market with this symbol is already listed.
        case duplicateMarket = "duplicate-market"
        /// The event would leave an account short of initial margin, or take more than free collateral.
        case insufficientMargin = "insufficient-margin"
        /// The event is not allowed in the current state (e.g. changing margin mode with an open position).
        case invalidState = "invalid-state"
        /// Arithmetic overflow on a path the input reached.
        case overflow = "overflow"
        /// The feature is not supported by this engine version.
        case unsupported = "unsupported"
        /// An invariant check failed (a bug, never an input error).
        case invariantViolated = "invariant-violated"
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

    /// Wraps an arithmetic error raised while processing `context`.
    public init(_ error: ArithmeticError, context: String) {
        self.code = error.code == .overflow ? .overflow : .invalidField
        self.message = "\(context): \(error.message)"
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
