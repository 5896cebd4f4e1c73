public import FulcrumCore

/// One margin model's results on a population over a price series.
public struct MarginModelOutcome: Sendable, Hashable {
    /// The model.
    public var kind: MarginModelKind
    /// Accounts opened.
    public var accounts: Int
    /// Accounts liquidated.
    public var liquidations: Int
    /// Liquidations that the requirement in force at the account's open would not have triggered: caused by the
    /// requirement rising (margin calls, the procyclical channel).
    public var marginCallLiquidations: Int
    /// Σ of negative equity at liquidation (USDT).
    public var badDebt: Money
    /// Posted margin ÷ entry notional, averaged over account-samples (capital locked; statistic).
    public var averageMarginRate: Double
    /// Time average of the initial-margin requirement rate.
    public var averageRequirement: Double
    /// Largest ratio `req(t) ÷ req(t − 1 day)` over the whole series.
    public var maxDailyRise: Double
    /// `max req` over the crash window ÷ `req` at its start (the 2025-10-10 procyclicality measure).
    public var crashWindowRise: Double
    /// The requirement sampled hourly-ish for charts: (timestamp, rate).
    public var requirementCurve: [(timestamp: Int64, rate: Double)]

    public static func == (lhs: MarginModelOutcome, rhs: MarginModelOutcome) -> Bool {
        lhs.kind == rhs.kind && lhs.liquidations == rhs.liquidations && lhs.badDebt == rhs.badDebt
            && lhs.marginCallLiquidations == rhs.marginCallLiquidations && lhs.accounts == rhs.accounts
            && lhs.averageMarginRate == rhs.averageMarginRate && lhs.maxDailyRise == rhs.maxDailyRise
            && lhs.crashWindowRise == rhs.crashWindowRise && lhs.averageRequirement == rhs.averageRequirement
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(liquidations)
        hasher.combine(badDebt)
    }
}
