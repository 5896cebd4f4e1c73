/// Optional replacements for venue parameters when solving a liquidation price (what a venue's API reports
/// for an account, or a what-if).
public struct LiquidationOverrides: Sendable, Hashable {
    /// Maintenance margin rate used at every notional (replaces the tier table; one bracket).
    public var maintenanceMarginRate: Rate?
    /// Maintenance deduction ("cum"). With ``maintenanceMarginRate`` it is that bracket's deduction; alone it
    /// replaces the deduction of the bracket at entry and pins that bracket.
    public var maintenanceDeduction: Money?
    /// Hyperliquid-style maximum leverage: maintenance rate `1 / (2 · maxLeverage)` (rounded **up**, favours the
    /// venue) with no deduction, and the cap on the leverage a position may use.
    public var maxLeverage: Leverage?
    /// Closing (taker) fee rate the venue adds to maintenance in its liquidation-price formula (OKX).
    public var takerFee: Rate?

    /// Creates overrides; every field defaults to "use the venue's value".
    public init(
        maintenanceMarginRate: Rate? = nil,
        maintenanceDeduction: Money? = nil,
        maxLeverage: Leverage? = nil,
        takerFee: Rate? = nil
    ) {
        self.maintenanceMarginRate = maintenanceMarginRate
        self.maintenanceDeduction = maintenanceDeduction
        self.maxLeverage = maxLeverage
        self.takerFee = takerFee
    }

    /// No overrides.
    public static let none = LiquidationOverrides()
}
