public import FulcrumCore

/// Everything a backtest needs besides the data.
public struct BacktestConfig: Sendable, Hashable {
    /// The strategy.
    public var strategy: BacktestStrategy
    /// Side of the perpetual leg (funding-harvest and basis require `.short`).
    public var side: PositionSide
    /// Size of the perpetual leg in base units (positive). For vol-target: the maximum size.
    public var size: Quantity
    /// User leverage of the perpetual leg (initial margin = notional ÷ leverage).
    public var leverage: Leverage
    /// Starting wallet; `nil` means exactly what the strategy needs to open (initial margin, spot cost, fees).
    public var wallet: Money?
    /// Perpetual taker fee rate (Binance USDⓈ-M VIP 0: 0.0005).
    public var takerFee: Rate
    /// Spot taker fee rate (Binance spot VIP 0: 0.001).
    public var spotFee: Rate
    /// The venue whose margin rules decide liquidation.
    public var profile: VenueProfile
    /// The market (tier table, step size).
    public var market: MarketSpec
    /// Target annualised volatility of the position (vol-target only), e.g. 0.5 for 50 %.
    public var targetVolatility: Double
    /// Milliseconds between vol-target rebalances (default one day).
    public var rebalanceIntervalMs: Int64
    /// Number of points kept in the equity curve (the drawdown is computed on every sample).
    public var curvePoints: Int

    /// Creates a configuration.
    public init(
        strategy: BacktestStrategy,
        side: PositionSide,
        size: Quantity,
        leverage: Leverage,
        wallet: Money? = nil,
        takerFee: Rate = Rate(raw: 50_000),
        spotFee: Rate = Rate(raw: 100_000),
        profile: VenueProfile,
        market: MarketSpec,
        targetVolatility: Double = 0.5,
        rebalanceIntervalMs: Int64 = 86_400_000,
        curvePoints: Int = 1_000
    ) {
        self.strategy = strategy
        self.side = side
        self.size = size
        self.leverage = leverage
        self.wallet = wallet
        self.takerFee = takerFee
        self.spotFee = spotFee
        self.profile = profile
        self.market = market
        self.targetVolatility = targetVolatility
        self.rebalanceIntervalMs = rebalanceIntervalMs
        self.curvePoints = curvePoints
    }
}
