/// One linear piece of a maintenance schedule: `MM(N) = N × rate − deduction` for notional `N` in
/// `[floor, cap)`. A tier table gives one step per bracket; a single-rate model or override gives one step.
public struct MaintenanceStep: Sendable, Hashable {
    /// The bracket index this step stands for (reported as ``LiquidationQuote/tierIndex``).
    public var index: Int
    /// Lowest notional (inclusive).
    public var floor: Money
    /// Highest notional (exclusive); `nil` when unbounded.
    public var cap: Money?
    /// Maintenance margin rate.
    public var rate: Rate
    /// Maintenance deduction.
    public var deduction: Money

    /// Creates a step.
    public init(index: Int, floor: Money, cap: Money?, rate: Rate, deduction: Money) {
        self.index = index
        self.floor = floor
        self.cap = cap
        self.rate = rate
        self.deduction = deduction
    }

    /// `notional × rate − deduction`, the product rounded **up** (favours the venue).
    public func maintenance(forNotional notional: Money) throws(ArithmeticError) -> Money {
        let gross = try notional.magnitude.times(rate, rounding: .up)
        return try gross.subtracting(deduction)
    }
}
