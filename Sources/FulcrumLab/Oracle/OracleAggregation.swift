public import FulcrumCore

/// How an oracle combines its sources' prices into one candidate.
public enum OracleAggregation: Sendable, Hashable {
    /// The median of the sources available this step (mean of the two middle ones, half-even, for an even count).
    case median
    /// The arithmetic mean of the last `window` medians (a time-weighted average over equal steps), half-even.
    case twap(window: Int)
    /// An exponential moving average of the medians: `e ← e + α·(m − e)`, half-even.
    case ema(alpha: Rate)
}
