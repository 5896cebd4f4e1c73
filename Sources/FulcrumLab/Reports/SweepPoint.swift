/// One point of a parameter sweep: the parameter value and the Monte Carlo summary at that value.
public struct SweepPoint: Sendable, Hashable {
    /// The swept parameter's name (e.g. `insuranceFund`).
    public var parameter: String
    /// Its value at this point.
    public var value: Double
    /// The summary.
    public var summary: MonteCarloSummary

    /// Creates a point.
    public init(parameter: String, value: Double, summary: MonteCarloSummary) {
        self.parameter = parameter
        self.value = value
        self.summary = summary
    }
}
