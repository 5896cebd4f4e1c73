import RealModule

/// The standard normal distribution (statistics: Double).
public enum NormalDistribution {
    /// `Φ(x) = erfc(−x/√2) / 2`.
    public static func cdf(_ x: Double) -> Double { 0.5 * Double.erfc(-x / 2.0.squareRoot()) }
}
