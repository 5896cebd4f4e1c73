public import FulcrumCore

/// An oracle's rules: sources, aggregation, when it publishes, and when its price counts as stale.
public struct OracleConfig: Sendable, Hashable {
    /// The sources (at least one).
    public var sources: [OracleSource]
    /// How source prices are combined.
    public var aggregation: OracleAggregation
    /// Publish at least every `heartbeatSteps` steps even without a large move (Chainlink heartbeat).
    public var heartbeatSteps: Int
    /// Publish when the candidate differs from the last published price by at least this fraction (0: every step).
    public var deviationThreshold: Rate
    /// The published price is stale (invalid) once it is more than this many steps old.
    public var stalenessSteps: Int

    /// Creates a configuration; the defaults publish the current price every step.
    public init(
        sources: [OracleSource] = [OracleSource()],
        aggregation: OracleAggregation = .median,
        heartbeatSteps: Int = 1,
        deviationThreshold: Rate = .zero,
        stalenessSteps: Int = 5
    ) {
        self.sources = sources
        self.aggregation = aggregation
        self.heartbeatSteps = heartbeatSteps
        self.deviationThreshold = deviationThreshold
        self.stalenessSteps = stalenessSteps
    }

    /// Checks the configuration.
    ///
    /// - Throws: ``LabError`` naming the field and value.
    public func validate() throws(LabError) {
        guard !sources.isEmpty else { throw LabError("oracle.sources is empty") }
        for (i, s) in sources.enumerated() where s.latencySteps < 0 {
            throw LabError("oracle.sources[\(i)].latencySteps \(s.latencySteps) must be ≥ 0")
        }
        guard heartbeatSteps >= 1 else { throw LabError("oracle.heartbeatSteps \(heartbeatSteps) must be ≥ 1") }
        guard !deviationThreshold.isNegative else {
            throw LabError("oracle.deviationThreshold \(deviationThreshold) must be ≥ 0")
        }
        guard stalenessSteps >= 0 else { throw LabError("oracle.stalenessSteps \(stalenessSteps) must be ≥ 0") }
        switch aggregation {
        case .median: break
        case .twap(let window):
            guard window >= 1 else { throw LabError("oracle.aggregation twap window \(window) must be ≥ 1") }
        case .ema(let alpha):
            guard alpha.isPositive, alpha <= .one else {
                throw LabError("oracle.aggregation ema alpha \(alpha) must be in (0, 1]")
            }
        }
    }
}
