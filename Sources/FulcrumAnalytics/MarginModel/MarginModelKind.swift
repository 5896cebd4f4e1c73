/// Which volatility estimate drives a margin requirement.
public enum MarginModelKind: String, Sendable, Hashable, CaseIterable {
    /// A constant requirement rate.
    case `static`
    /// EWMA volatility of 1-sample log returns (RiskMetrics style).
    case ewma
    /// GARCH(1,1) conditional volatility.
    case garch
}
