/// Engine-wide settings that are not venue rules.
public struct EngineConfiguration: Sendable, Hashable {
    /// The backstop vault account used by the default executor (``BackstopExecutor``); never liquidated.
    public var backstopAccount: AccountID
    /// Seed for the pseudo-random ADL start (dYdX-style ranking); mixed with the event counter.
    public var seed: UInt64
    /// Most clean-up passes a sweep makes to resolve bankruptcies that ADL or socialization caused.
    public var maxCleanupPasses: Int

    /// Creates a configuration (defaults: backstop account 0, seed 0, 16 clean-up passes).
    public init(backstopAccount: AccountID = AccountID(0), seed: UInt64 = 0, maxCleanupPasses: Int = 16) {
        self.backstopAccount = backstopAccount
        self.seed = seed
        self.maxCleanupPasses = maxCleanupPasses
    }
}
