/// What `absorb` did to one account.
public struct CometAbsorb: Sendable, Hashable {
    /// Collateral seized, by asset (listing order).
    public var seized: [String: UInt128]
    /// Σ collateral value × liquidation factor credited to the borrower (USD, 8 decimals).
    public var deltaValue: UInt128
    /// Base paid out of reserves to cover the account (`newBalance − oldBalance`, base units).
    public var basePaidOut: UInt128
    /// Debt the collateral did not cover, eaten by reserves (base units).
    public var uncoveredDebt: UInt128
}
