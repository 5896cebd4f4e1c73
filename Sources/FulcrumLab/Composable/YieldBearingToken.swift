public import FulcrumCore

/// A yield-bearing token's exchange rate to its underlying (the traded asset or quote): it starts at
/// ``startRate``, grows by ``accrualPerStep`` every step (compounded, rounded down: values the collateral low,
/// favours the lending protocol) and is marked down once by ``depegFraction`` at ``depegStep`` (a depeg or slashing
/// shock). Fields are documented with units and defaults in `docs/SCENARIO.md`.
public struct YieldBearingToken: Sendable, Hashable {
    /// Whether the underlying is the cascade's traded asset (`false`: the quote currency).
    public var underlyingIsTraded: Bool
    /// Exchange rate at step 0 (underlying units per token).
    public var startRate: Rate
    /// Growth of the rate per step (fraction).
    public var accrualPerStep: Rate
    /// Step at which the rate is marked down (`nil`: never).
    public var depegStep: Int?
    /// Fraction of the rate lost at ``depegStep``.
    public var depegFraction: Rate

    /// Creates a token (defaults: traded underlying, rate 1, no accrual, no depeg).
    public init(
        underlyingIsTraded: Bool = true,
        startRate: Rate = .one,
        accrualPerStep: Rate = .zero,
        depegStep: Int? = nil,
        depegFraction: Rate = .zero
    ) {
        self.underlyingIsTraded = underlyingIsTraded
        self.startRate = startRate
        self.accrualPerStep = accrualPerStep
        self.depegStep = depegStep
        self.depegFraction = depegFraction
    }

    /// Checks every field.
    ///
    /// - Throws: ``LabError`` naming the field (under `path`) and value.
    public func validate(path p: String) throws(LabError) {
        guard startRate.isPositive, startRate.raw <= 1_000 * 100_000_000 else {
            throw LabError("\(p)yieldBearing.startRate \(startRate) must be in (0, 1000]")
        }
        guard !accrualPerStep.isNegative, accrualPerStep.raw <= 1_000_000 else {
            throw LabError("\(p)yieldBearing.accrualPerStep \(accrualPerStep) must be in [0, 0.01]")
        }
        guard !depegFraction.isNegative, depegFraction < .one else {
            throw LabError("\(p)yieldBearing.depegFraction \(depegFraction) must be in [0, 1)")
        }
        if let step = depegStep, step < 0 {
            throw LabError("\(p)yieldBearing.depegStep \(step) must be ≥ 0")
        }
    }

    /// The rate after one more step `step` (raw): accrual, then the depeg at ``depegStep``; at least 1 raw unit.
    func advance(_ rate: Int64, toStep step: Int) -> Int64 {
        var r = Int128(rate)
        // Accrual rounded down (a lower rate values the collateral low: favours the protocol).
        if step > 0 { r += r * Int128(accrualPerStep.raw) / 100_000_000 }
        // Depeg mark-down rounded down (same side).
        if step == depegStep { r = r * Int128(100_000_000 - depegFraction.raw) / 100_000_000 }
        return Int64(Swift.max(1, Swift.min(r, Int128(Int64.max))))
    }
}
