/// How a shortfall is allocated across winning positions.
public enum AdlPolicy: String, Sendable, Hashable, CaseIterable {
    /// BitMEX / Bybit queue: rank by PnL% × effective leverage, haircut the top of the queue first.
    case rankedPnlLeverage = "ranked-pnl-leverage"
    /// Binance queue: rank by PnL% × margin ratio, haircut the top first.
    case rankedPnlMarginRatio = "ranked-pnl-margin-ratio"
    /// Pro-rata on positive PnL (largest-remainder rounding, exact to the unit).
    case proRata = "pro-rata"
    /// Leverage-first water-filling (Campbell, Hey, Moallemi & Nutz, arXiv 2603.15963): lower every account above a
    /// common leverage level to that level, the level chosen so the haircuts cover the shortfall.
    case leverageFirst = "leverage-first"
}
