public import FulcrumCore

/// A deterministic population for comparing margin models: every `cohortIntervalMs` a cohort opens one long and
/// one short per target leverage, each of `notional`, held for `holdMs` or until liquidated. Each account posts
/// `notional × max(1/leverage, requirement at open)` and does not top up (the worst case for margin calls).
public struct MarginPopulation: Sendable, Hashable {
    /// Target leverages of the accounts (the requirement may cap them).
    public var leverages: [Leverage]
    /// Entry notional of every account, in USDT.
    public var notional: Money
    /// Milliseconds between cohorts.
    public var cohortIntervalMs: Int64
    /// Milliseconds each cohort holds.
    public var holdMs: Int64

    /// Creates a population.
    public init(
        leverages: [Leverage],
        notional: Money,
        cohortIntervalMs: Int64 = 86_400_000,
        holdMs: Int64 = 86_400_000
    ) {
        self.leverages = leverages
        self.notional = notional
        self.cohortIntervalMs = cohortIntervalMs
        self.holdMs = holdMs
    }

    /// The default population: 2×, 3×, 5×, 10×, 20×, 50×, 100×, each long and short, 100,000 USDT.
    public static let standard = MarginPopulation(
        leverages: [2, 3, 5, 10, 20, 50, 100].map { Leverage(raw: Int64($0) * FixedPointScale.factor) },
        notional: Money(raw: 100_000 * FixedPointScale.factor)
    )
}
