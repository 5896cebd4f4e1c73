/// An arithmetic or parsing failure in fixed-point code: overflow, precision beyond a step, a bad decimal.
///
/// Modelled on swift-nio's errors: a struct with a stable `code` and a human message that names the
/// offending field and value, so the edges (CLI, server) can print it as is.
public struct ArithmeticError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case overflow, divisionByZero, precisionExceeded, invalidDecimal, outOfRange
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A result does not fit the type's 64-bit storage (or a 128-bit intermediate).
        public static let overflow = Code(.overflow)
        /// A divisor was zero.
        public static let divisionByZero = Code(.divisionByZero)
        /// A value has more decimals than the type (or the market's tick/step) allows.
        public static let precisionExceeded = Code(.precisionExceeded)
        /// Text is not a decimal number.
        public static let invalidDecimal = Code(.invalidDecimal)
        /// A value is outside the range a field accepts (e.g. a negative price).
        public static let outOfRange = Code(.outOfRange)

        public var description: String {
            switch value {
            case .overflow: "overflow"
            case .divisionByZero: "division-by-zero"
            case .precisionExceeded: "precision-exceeded"
            case .invalidDecimal: "invalid-decimal"
            case .outOfRange: "out-of-range"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, naming the field and value where known.
    public var message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
