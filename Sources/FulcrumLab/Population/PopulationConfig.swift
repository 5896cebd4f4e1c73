/// What the generated account population looks like. See `docs/SCENARIO.md` for units and defaults.
public struct PopulationConfig: Sendable, Hashable {
    /// Number of accounts.
    public var count: Int
    /// Fraction of accounts that are long (the rest are short).
    public var longFraction: Double
    /// Fraction of accounts on isolated margin (the rest are cross).
    public var isolatedFraction: Double
    /// A cross account's wallet as a multiple of its initial margin (≥ 1).
    public var crossWalletMultiple: Double
    /// The leverage distribution (clamped to the venue tier's maximum leverage for the position's notional).
    public var leverage: LeverageDistribution
    /// Pareto position notional (quote): scale (minimum) in quote units.
    public var minimumNotional: Double
    /// Pareto tail index α (> 1 for a finite mean; ~1.5 for retail perp books).
    public var paretoAlpha: Double
    /// Cap on one position's notional (quote).
    public var maximumNotional: Double
    /// Entries are spread uniformly over this many steps before the start (a random walk back from the start at
    /// the model's volatility, or the recorded history for a replay).
    public var entryWindowSteps: Int
    /// Fraction of accounts that are deleveraging agents.
    public var deleveragerFraction: Double

    /// Creates a configuration; defaults are the built-in scenario's.
    public init(
        count: Int = 100_000,
        longFraction: Double = 0.7,
        isolatedFraction: Double = 0.5,
        crossWalletMultiple: Double = 2,
        leverage: LeverageDistribution = .logNormal(median: 10, sigma: 0.7, maximum: 100),
        minimumNotional: Double = 1_000,
        paretoAlpha: Double = 1.5,
        maximumNotional: Double = 5_000_000,
        entryWindowSteps: Int = 1_440,
        deleveragerFraction: Double = 0.1
    ) {
        self.count = count
        self.longFraction = longFraction
        self.isolatedFraction = isolatedFraction
        self.crossWalletMultiple = crossWalletMultiple
        self.leverage = leverage
        self.minimumNotional = minimumNotional
        self.paretoAlpha = paretoAlpha
        self.maximumNotional = maximumNotional
        self.entryWindowSteps = entryWindowSteps
        self.deleveragerFraction = deleveragerFraction
    }

    /// Checks every field.
    ///
    /// - Throws: ``LabError`` naming the field and value.
    public func validate() throws(LabError) {
        guard count >= 0, count <= 50_000_000 else {
            throw LabError("population.count \(count) must be in 0...50000000")
        }
        for (name, value) in [
            ("longFraction", longFraction), ("isolatedFraction", isolatedFraction),
            ("deleveragerFraction", deleveragerFraction),
        ] where !(value >= 0 && value <= 1) {
            throw LabError("population.\(name) \(value) must be in [0, 1]")
        }
        guard crossWalletMultiple >= 1, crossWalletMultiple.isFinite else {
            throw LabError("population.crossWalletMultiple \(crossWalletMultiple) must be ≥ 1")
        }
        guard minimumNotional > 0, minimumNotional.isFinite else {
            throw LabError("population.minimumNotional \(minimumNotional) must be positive")
        }
        guard maximumNotional >= minimumNotional, maximumNotional < 1e10 else {
            throw LabError("population.maximumNotional \(maximumNotional) must be in [minimumNotional, 1e10)")
        }
        guard paretoAlpha > 0, paretoAlpha.isFinite else {
            throw LabError("population.paretoAlpha \(paretoAlpha) must be positive")
        }
        guard entryWindowSteps >= 0 else {
            throw LabError("population.entryWindowSteps \(entryWindowSteps) must be ≥ 0")
        }
        switch leverage {
        case .uniform(let low, let high):
            guard low >= 1, high >= low, high <= 1_000 else {
                throw LabError("population.leverage uniform [\(low), \(high)] must satisfy 1 ≤ low ≤ high ≤ 1000")
            }
        case .logNormal(let median, let sigma, let maximum):
            guard median >= 1, sigma >= 0, maximum >= 1, maximum <= 1_000 else {
                throw LabError(
                    "population.leverage logNormal(median \(median), sigma \(sigma), max \(maximum)) is invalid"
                )
            }
        case .empirical(let values):
            guard !values.isEmpty else { throw LabError("population.leverage empirical list is empty") }
            for (i, v) in values.enumerated() where !(v > 0 && v <= 1_000) {
                throw LabError("population.leverage empirical[\(i)] \(v) must be in (0, 1000]")
            }
        }
    }
}
