/// One bracket of a margin-tier (risk-limit) table.
///
/// A position whose notional lies in `[notionalFloor, notionalCap)` has maintenance margin
/// `notional × maintenanceMarginRate − maintenanceDeduction` and may use at most `maxLeverage`.
/// The deduction (Binance "cum", Bybit "MM deduction", Hyperliquid "maintenance_deduction") keeps the
/// maintenance margin continuous across brackets: `cum_n = cum_{n−1} + floor_n · (mmr_n − mmr_{n−1})`.
public struct MarginTier: Sendable, Hashable {
    /// Lowest notional of the bracket (inclusive).
    public var notionalFloor: Money
    /// Highest notional of the bracket (exclusive); `nil` for the last, unbounded bracket.
    public var notionalCap: Money?
    /// Largest leverage allowed in this bracket (its initial margin rate is `1 / maxLeverage`).
    public var maxLeverage: Leverage
    /// Maintenance margin rate of the bracket.
    public var maintenanceMarginRate: Rate
    /// Maintenance deduction ("cum") of the bracket.
    public var maintenanceDeduction: Money

    /// Creates a bracket.
    public init(
        notionalFloor: Money,
        notionalCap: Money?,
        maxLeverage: Leverage,
        maintenanceMarginRate: Rate,
        maintenanceDeduction: Money
    ) {
        self.notionalFloor = notionalFloor
        self.notionalCap = notionalCap
        self.maxLeverage = maxLeverage
        self.maintenanceMarginRate = maintenanceMarginRate
        self.maintenanceDeduction = maintenanceDeduction
    }
}
