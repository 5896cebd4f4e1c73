/// One price source feeding an oracle (an exchange, a keeper, a chain relay).
public struct OracleSource: Sendable, Hashable {
    /// How many steps old the price the source reports is (0: the current traded price).
    public var latencySteps: Int
    /// Steps during which the source reports nothing (an outage), if any.
    public var outage: Range<Int>?

    /// Creates a source.
    public init(latencySteps: Int = 0, outage: Range<Int>? = nil) {
        self.latencySteps = latencySteps
        self.outage = outage
    }
}
