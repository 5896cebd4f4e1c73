public import FulcrumCore

/// A lending-protocol rejection: an action the protocol would revert, with the reason and the offending value.
///
/// Mirrors the contracts' revert reasons (`HEALTH_FACTOR_NOT_BELOW_THRESHOLD`, `MustNotLeaveDust`,
/// `Dog/not-unsafe`, …) so a replay reports why an event was refused. State is unchanged after a rejection.
public struct LendingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The protocol's name for the failure (e.g. `"HealthFactorNotBelowThreshold"`).
    public var reason: String
    /// A human message naming the field and value.
    public var message: String

    /// Creates an error.
    public init(_ reason: String, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// Wraps an arithmetic failure.
    public init(_ error: ArithmeticError) {
        reason = "Arithmetic"
        message = error.description
    }

    public var description: String { "\(reason): \(message)" }
}
