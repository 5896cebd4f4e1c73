import FulcrumCore

/// What one account has used, within one liquidation sweep, of the per-sweep limits of
/// ``LiquidationProcedure/blockLimits(positionPortion:minPositionNotional:maxNotionalPerAccount:maxInsuranceLossPerAccount:)``
/// (dYdX v4's per-subaccount per-block limits; one sweep = one block).
struct LiquidationAllowance {
    /// Notional liquidated so far (at the trigger price), summed over the account's positions.
    var notionalUsed: Money = .zero
    /// Insurance-fund loss the account's fills have drawn so far.
    var insuranceLossUsed: Money = .zero
}
