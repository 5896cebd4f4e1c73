public import FulcrumCore

/// What the cross-venue arbitrageur did on one path of a multi-venue run, and how far the venues' prices drifted
/// apart.
public struct CrossVenueMetrics: Sendable, Hashable {
    /// Base quantity bought on cheap venues (and sold on rich ones), raw 10⁻⁸ summed exactly.
    public var arbitrageVolume: Int128
    /// Quote paid for the buy legs (book-walk costs, rounded up against the arbitrageur).
    public var arbitrageNotional: MoneySum
    /// Steps on which at least one pair traded.
    public var arbitrageSteps: Int
    /// Largest basis over the path: `max ÷ min − 1` of the venues' traded prices at the same step.
    public var maxBasis: Double
    /// The step of ``maxBasis`` (0 when the prices never differ).
    public var maxBasisStep: Int

    /// A zeroed record.
    public init() {
        arbitrageVolume = 0
        arbitrageNotional = MoneySum()
        arbitrageSteps = 0
        maxBasis = 0
        maxBasisStep = 0
    }

    /// ``arbitrageVolume`` in base units (display and statistics only).
    public var arbitrageVolumeInBase: Double { Double(arbitrageVolume) / 1e8 }
}
