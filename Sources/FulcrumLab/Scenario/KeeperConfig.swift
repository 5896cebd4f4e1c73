/// Keeper (liquidation engine) throughput and latency.
///
/// On-chain venues are the special case `latencySteps = blocks of delay`, `maxLiquidationsPerStep = per-block limit
/// × blocks per step`.
public struct KeeperConfig: Sendable, Hashable {
    /// Most liquidation orders executed per step (the rest wait in FIFO order).
    public var maxLiquidationsPerStep: Int
    /// Steps between detection and execution.
    public var latencySteps: Int

    /// Creates a configuration.
    public init(maxLiquidationsPerStep: Int = 10_000, latencySteps: Int = 0) {
        self.maxLiquidationsPerStep = maxLiquidationsPerStep
        self.latencySteps = latencySteps
    }

    /// Checks every field.
    ///
    /// - Throws: ``LabError`` naming the field and value.
    public func validate() throws(LabError) {
        guard maxLiquidationsPerStep >= 1 else {
            throw LabError("keeper.maxLiquidationsPerStep \(maxLiquidationsPerStep) must be ≥ 1")
        }
        guard latencySteps >= 0 else { throw LabError("keeper.latencySteps \(latencySteps) must be ≥ 0") }
    }
}
