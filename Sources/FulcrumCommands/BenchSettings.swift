/// Sizes and seed of the `fulcrum bench` workloads (the peers' scripts in `bench/peers` use the same defaults).
public struct BenchSettings: Sendable, Hashable {
    /// Isolated positions solved by `liqprice`.
    public var positions: Int
    /// Cross accounts (three positions each) checked by `cross-check`.
    public var crossAccounts: Int
    /// Accounts simulated by `cascade` over 1,440 one-minute steps.
    public var cascadeAccounts: Int
    /// Timed repetitions per workload; the best (shortest) is reported.
    public var runs: Int
    /// Seed of every random draw.
    public var seed: UInt64
    /// Threads for `liqprice` and `cross-check` (chunks of positions / accounts; results identical for any count).
    public var threads: Int

    /// Creates settings; the defaults are the sizes of issue 7.
    public init(
        positions: Int = 1_000_000,
        crossAccounts: Int = 100_000,
        cascadeAccounts: Int = 100_000,
        runs: Int = 3,
        seed: UInt64 = 42,
        threads: Int = 1
    ) {
        self.positions = positions
        self.crossAccounts = crossAccounts
        self.cascadeAccounts = cascadeAccounts
        self.runs = runs
        self.seed = seed
        self.threads = threads
    }
}
