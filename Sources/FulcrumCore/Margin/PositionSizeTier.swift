/// One tier of a size-bounded table (OKX position tiers): positions whose absolute size lies in
/// `(previous tier's sizeCap, sizeCap]` have maintenance margin `notional × maintenanceMarginRate` (OKX publishes no
/// maintenance deduction) and may use at most `maxLeverage`.
public struct PositionSizeTier: Sendable, Hashable {
    /// Largest absolute size of the tier in base units (inclusive); `nil` for an unbounded last tier.
    public var sizeCap: Quantity?
    /// Largest leverage allowed in this tier (its initial margin rate is `1 / maxLeverage`).
    public var maxLeverage: Leverage
    /// Maintenance margin rate of the tier.
    public var maintenanceMarginRate: Rate

    /// Creates a tier.
    public init(sizeCap: Quantity?, maxLeverage: Leverage, maintenanceMarginRate: Rate) {
        self.sizeCap = sizeCap
        self.maxLeverage = maxLeverage
        self.maintenanceMarginRate = maintenanceMarginRate
    }
}
