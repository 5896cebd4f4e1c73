public import FulcrumCore

/// The arbitrageur that links the venues of a multi-venue run (``Scenario/linkedVenues``).
///
/// Each step it looks at every venue's traded price (the touch at the end of a step) as it was `lagSteps` steps
/// before the last completed step, pairs the cheapest venue with the richest (then the second cheapest with the
/// second richest, …), and where the observed gap `rich ÷ cheap − 1` exceeds `thresholdBps` (its fees and costs) it
/// buys on the cheap venue's liquidity and sells the same base quantity on the rich venue's (both book walks
/// committed, so both prices move). It sizes the pair so that the *current* gap closes by `strength` × the observed
/// excess gap, never below the threshold, and never more than `capacityPerStep` base per pair per step; a stale
/// signal whose gap no longer pays at the current prices is not traded.
public struct CrossVenueArbitrage: Sendable, Hashable {
    /// Whether the arbitrageur trades (off: the venues share the exogenous path and nothing else).
    public var enabled: Bool
    /// Steps between a price and the arbitrageur seeing it (0: it reacts to the previous step's close).
    public var lagSteps: Int
    /// Fraction of the observed excess gap (beyond the threshold) closed per step, in (0, 1].
    public var strength: Double
    /// Most base quantity bought (and sold) per venue pair per step.
    public var capacityPerStep: Quantity
    /// Gap in basis points below which trading does not pay (fees on both legs, transfer costs), in [0, 10000).
    public var thresholdBps: Double

    /// Creates a configuration; the defaults are documented in `docs/SCENARIO.md`.
    public init(
        enabled: Bool = true,
        lagSteps: Int = 1,
        strength: Double = 0.5,
        capacityPerStep: Quantity = Quantity(raw: 100 * FixedPointScale.factor),
        thresholdBps: Double = 10
    ) {
        self.enabled = enabled
        self.lagSteps = lagSteps
        self.strength = strength
        self.capacityPerStep = capacityPerStep
        self.thresholdBps = thresholdBps
    }

    /// Checks every field.
    ///
    /// - Throws: ``LabError`` naming the field (`crossVenueArbitrage.…`) and the value.
    public func validate() throws(LabError) {
        guard lagSteps >= 0, lagSteps <= 1_000 else {
            throw LabError("crossVenueArbitrage.lagSteps \(lagSteps) must be in 0...1000")
        }
        guard strength > 0, strength <= 1 else {
            throw LabError("crossVenueArbitrage.strength \(strength) must be in (0, 1]")
        }
        guard capacityPerStep.isPositive else {
            throw LabError("crossVenueArbitrage.capacityPerStep \(capacityPerStep) must be positive")
        }
        guard thresholdBps >= 0, thresholdBps < 10_000 else {
            throw LabError("crossVenueArbitrage.thresholdBps \(thresholdBps) must be in [0, 10000)")
        }
    }
}
