/// Per-step series of one path, for the CSV and HTML reports (Double: display only).
public struct PathTrace: Sendable, Hashable {
    /// Exogenous price per step (index 0 = start).
    public var exogenous: [Double] = []
    /// Traded (mid) price per step.
    public var traded: [Double] = []
    /// Mark price per step.
    public var mark: [Double] = []
    /// Whether the oracle was valid.
    public var oracleValid: [Bool] = []
    /// Liquidation orders executed per step.
    public var liquidations: [Int] = []
    /// Liquidated notional per step.
    public var liquidatedNotional: [Double] = []
    /// Insurance fund per step.
    public var insurance: [Double] = []
    /// Cumulative bad debt per step.
    public var badDebt: [Double] = []
    /// Cumulative ADL notional per step.
    public var adlNotional: [Double] = []
    /// Depth multiplier per step (depth scale × withdrawal).
    public var depthMultiplier: [Double] = []

    /// An empty trace.
    public init() {}
}
