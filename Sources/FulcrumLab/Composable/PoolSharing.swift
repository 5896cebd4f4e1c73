/// How the lending markets of a scenario share their lenders' pool and their backstop.
public enum PoolSharing: String, Sendable, Hashable, CaseIterable {
    /// One backstop for every market, and the uncovered deficit of any market is borne pro rata by all lenders
    /// (Aave v2/v3's shared reserves: one market's bad debt reaches the others' suppliers).
    case shared
    /// Each market has its own backstop (the total split equally) and its own lenders bear only its own deficit
    /// (Morpho Blue / Euler v2 style isolation).
    case isolated
}
