/// The observations one funding payment is computed from.
///
/// Premium formulas read `premium` (the time-weighted average premium index P̄ over the funding interval, per
/// `rateIntervalSeconds`); Drift's TWAP-spread formula reads `markTWAP` and `oracleTWAP`. A venue-reported
/// rate can be replayed as is with `rateOverride`, which bypasses the formula (caps still apply).
public struct FundingInputs: Sendable, Hashable {
    /// Average premium index P̄ (premium formulas).
    public var premium: Rate
    /// Mark (or mid) price TWAP over the interval (Drift).
    public var markTWAP: Price
    /// Oracle price TWAP over the interval (Drift).
    public var oracleTWAP: Price
    /// A venue-published rate per `rateIntervalSeconds` to use instead of the formula.
    public var rateOverride: Rate?

    /// Creates inputs; unspecified fields are zero.
    public init(premium: Rate = .zero, markTWAP: Price = .zero, oracleTWAP: Price = .zero, rateOverride: Rate? = nil) {
        self.premium = premium
        self.markTWAP = markTWAP
        self.oracleTWAP = oracleTWAP
        self.rateOverride = rateOverride
    }
}
