import FulcrumCore

/// Everything a report shows: the scenario, the Monte Carlo summary, the first path's trace with and without
/// feedback, the population (for the liquidation-price heatmap) and an optional sweep.
public struct LabReport: Sendable {
    /// The scenario.
    public var scenario: Scenario
    /// The Monte Carlo summary.
    public var summary: MonteCarloSummary
    /// Path 0 with feedback (if recorded).
    public var trace: PathTrace?
    /// Path 0 without feedback (the control run), if recorded.
    public var controlTrace: PathTrace?
    /// The population, for the heatmap.
    public var population: AccountBook?
    /// Sweep points, if a sweep ran.
    public var sweep: [SweepPoint]
    /// The lending layer's contagion report for path 0, when the scenario has lending markets.
    public var contagion: ContagionReport?
    /// In a multi-venue run, path 0's trace of every venue (the main venue first), for the per-venue price chart
    /// and `venues.csv`.
    public var venueTraces: [PathTrace] = []

    /// Creates a report.
    public init(
        scenario: Scenario,
        summary: MonteCarloSummary,
        trace: PathTrace? = nil,
        controlTrace: PathTrace? = nil,
        population: AccountBook? = nil,
        sweep: [SweepPoint] = []
    ) {
        self.scenario = scenario
        self.summary = summary
        self.trace = trace
        self.controlTrace = controlTrace
        self.population = population
        self.sweep = sweep
    }

    /// A Double as JSON (shortest round-trip text; non-finite values as `null`).
    static func json(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    /// A number for people: fixed decimals with thousands separators.
    static func human(_ x: Double, decimals: Int = 0) -> String {
        guard x.isFinite else { return "n/a" }
        let negative = x < 0
        var scaled = Swift.abs(x)
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        scaled = (scaled * factor).rounded(.toNearestOrEven)
        let whole = Int64(scaled / factor)
        let fraction = Int64(scaled - Double(whole) * factor)
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + String(digits.suffix(3)) + grouped
            digits = String(digits.dropLast(3))
        }
        grouped = digits + grouped
        if decimals > 0 {
            let f = String(fraction)
            grouped += "." + String(repeating: "0", count: Swift.max(0, decimals - f.count)) + f
        }
        return (negative ? "-" : "") + grouped
    }

    /// A fraction as a percentage with two decimals.
    static func percent(_ x: Double) -> String { human(x * 100, decimals: 2) + " %" }
}
