public import FulcrumCore

/// The outcome of one backtest. All money is exact fixed point; ratios that are statistics are `Double`.
public struct BacktestResult: Sendable, Hashable {
    /// One point of the equity curve.
    public struct CurvePoint: Sendable, Hashable {
        /// Unix milliseconds.
        public var timestamp: Int64
        /// Account equity (wallet + unrealised PnL + spot value).
        public var equity: Money
        /// Drawdown from the running peak (≥ 0).
        public var drawdown: Money
    }

    /// A funding payment the account could not be priced at its exact timestamp (the latest earlier sample was used).
    public struct FundingPricing: Sendable, Hashable {
        /// Payments priced with a sample at exactly their timestamp.
        public var exact: Int
        /// Payments priced with the latest earlier sample (venue jitter or a gap in the prices).
        public var earlierSample: Int
        /// Largest gap, in ms, between a payment and the sample that priced it.
        public var maxStalenessMs: Int64
        /// Payments before the first price sample (no position could exist: not paid, listed here).
        public var beforeFirstSample: Int
        /// Payments after the position was closed by liquidation (nothing to pay).
        public var afterClose: Int
        /// Payments settled on an open position.
        public var settled: Int
    }

    /// Starting wallet.
    public var initialEquity: Money
    /// Net funding cash flow to the account (negative when it pays).
    public var funding: Money
    /// All fees paid (trading and liquidation), positive.
    public var fees: Money
    /// Realised plus unrealised price PnL of all legs at the end.
    public var pricePnl: Money
    /// Equity at the last sample.
    public var finalEquity: Money
    /// Number of liquidations.
    public var liquidations: Int
    /// Timestamp of each liquidation.
    public var liquidationTimes: [Int64]
    /// Loss beyond the account's equity at liquidation (borne by the insurance fund).
    public var badDebt: Money
    /// Largest peak-to-trough fall of equity.
    public var maxDrawdown: Money
    /// `maxDrawdown ÷ peak` at that trough (statistic).
    public var maxDrawdownFraction: Double
    /// Number of trades (opens, rebalances, closes).
    public var trades: Int
    /// How funding payments were priced.
    public var fundingPricing: FundingPricing
    /// Number of price samples processed.
    public var samples: Int
    /// The equity curve, down-sampled to about `curvePoints` points (always including the last sample).
    public var curve: [CurvePoint]
}
