/// An incremental index of the accounts a price move can put under maintenance, kept beside a ``ClearingEngine``
/// so that an oracle or mark update finds every account the sweep would act on without scanning all accounts.
///
/// **Keys.** Every margin pool (an account's cross positions, or one isolated position) is split into its open
/// positions. With `E = equity − maintenance ≥ 0` of the pool at the current trigger prices, each position `j` gets a
/// budget `b_j = ⌊E · w_j / Σw⌋` (`w` = the position's notional; rounded **down**: the budgets never sum above `E`)
/// and a key: the price in its market beyond which the position's term `value − cost − maintenance` (the sweep's own
/// figures, ``ClearingEngine/isUnderMaintenance(_:)``) may have lost more than `b_j`. As long as every market's price
/// stays on the safe side of every key of the pool, the pool's `equity − maintenance` stays `≥ E − Σ b_j ≥ 0`: the
/// keys form a box, valid whichever markets move. A pool with a single position (isolated, or a cross account with
/// one open position) is keyed by two static prices instead: `A`, from which on it is surely not under maintenance,
/// and `B`, from which on it surely is (its exact liquidation price up to a few 10⁻⁸ of money, the proven rounding
/// slack of ``ClearingEngine/termDropBound(_:market:)``); they depend only on the account's state, so a crossing
/// flips the pool without any evaluation unless the price falls between them. Keys are found by a bracketing search (interpolation with bisection
/// fallback) on the engine's exact term, so mark- or oracle-triggered markets, tier tables, dYdX and Drift margins,
/// linear and inverse contracts all use the trigger inequality of the sweep. A pool under maintenance is keyed the
/// other way round: its shortfall is split into gain budgets and each position's key is the price in the favourable
/// direction past which the pool may recover, so pools under maintenance are not re-checked on every update either.
/// A position whose term has no proven bound, or whose budget is below the bound, gets the key "always".
///
/// **Query.** After a price update in market `m`, only the positions whose key in `m` is crossed are touched: their
/// pools are re-evaluated exactly and re-keyed at the new prices (``candidates(afterPriceUpdate:in:into:)``). The
/// accounts under maintenance are then exactly those the sweep's first pass would act on (property-tested against a
/// full scan of ``ClearingEngine/isUnderMaintenance(_:)``).
///
/// **Upkeep.** The owner applies each event to the engine, then calls ``update(after:effects:in:)`` (or
/// ``refresh(accounts:in:)`` with ``touchedAccounts(by:effects:)``): accounts whose balances or positions changed are
/// re-keyed; a listing rebuilds the index. A pool whose exact evaluation overflows is treated as under maintenance
/// (the sweep would throw on it).
///
/// - Complexity: a price update costs O(log n + k + p + c · s): n keys in the market, k crossed keys, p pending keys
///   (bounded by ``LiquidationKeyBook/mergeThreshold``), c crossed pools re-keyed with s search steps each (≈ 10).
public struct LiquidationIndex: Sendable {
    /// Accounts covered (the engine's account count at the last refresh).
    public internal(set) var accountCount: Int
    /// Markets covered.
    public internal(set) var marketCount: Int
    /// The backstop account, never under maintenance.
    var backstop: Int
    /// Per position slot (`account · marketCount + market`): the generation of its live key.
    var generations: [UInt32]
    /// Per position slot: the book holding its live key, or −1.
    var slotBooks: [Int32]
    /// Books, two per market: `2m` keys crossed by a falling price (safe longs, shorts under maintenance), `2m + 1`
    /// keys crossed by a rising price (safe shorts, longs under maintenance).
    var books: [LiquidationKeyBook]
    /// Live keys per book.
    var liveCounts: [Int]
    /// Per account: whether its cross pool is under maintenance (or it is flat with a negative wallet).
    var crossFlags: [Bool]
    /// Per position slot: whether that isolated pool is under maintenance.
    var isolatedFlags: [Bool]
    /// Per account: the number of its pools under maintenance.
    var flaggedPools: [Int32]
    /// One bit per account: whether it has a pool under maintenance.
    var flaggedBits: [UInt64]
    /// The number of set bits of ``flaggedBits``.
    var flaggedAccounts: Int
    /// Per position slot: the static bounds of a single-position pool (one record: one cache line per crossing).
    var slotBounds: [SlotBounds]

    /// The static bounds of one position slot whose pool holds only that position.
    struct SlotBounds: Sendable {
        /// The price from which on (favourable direction) the pool is surely not under maintenance; 0 for none.
        var safe: Int64 = 0
        /// The price from which on (unfavourable direction) the pool surely is under maintenance; 0 for none.
        var sure: Int64 = 0
        /// Whether the slot is keyed by these bounds, the position's side, and whether the pool is isolated.
        var isStatic = false
        var long = false
        var isolated = false
    }
    /// Scratch: the slots crossed by the current query (kept to avoid allocation).
    var work: [UInt32]
    /// Work counters since the index was built.
    public internal(set) var statistics = Statistics()

    /// Work counters, for benchmarks and reports.
    public struct Statistics: Sendable, Hashable {
        /// Live keys crossed by price updates.
        public var crossedKeys = 0
        /// Crossed single-position pools settled by their static bounds (no evaluation).
        public var settledWithoutEvaluation = 0
        /// Pools re-evaluated exactly and re-keyed after a crossing.
        public var reevaluatedPools = 0
        /// Merges of pending keys into the sorted runs.
        public var merges = 0
    }

    /// An empty index (no accounts, no markets); call ``refreshAll(in:)`` before use.
    public init() {
        accountCount = 0
        marketCount = 0
        backstop = 0
        generations = []
        slotBooks = []
        books = []
        liveCounts = []
        crossFlags = []
        isolatedFlags = []
        flaggedPools = []
        flaggedBits = []
        flaggedAccounts = 0
        slotBounds = []
        work = []
    }

    /// Builds the index over every account of `engine`.
    ///
    /// - Complexity: O(positions · s) key searches and one sort per market side.
    public init(engine: ClearingEngine) {
        self.init()
        refreshAll(in: engine)
    }

    /// Number of accounts with at least one pool under maintenance.
    public var underMaintenanceCount: Int { flaggedAccounts }

    /// Live keys in `market`: crossed by a falling price, crossed by a rising price (for reports).
    public func keyCounts(market: MarketID) -> (falling: Int, rising: Int) {
        guard market.index < marketCount else { return (0, 0) }
        return (liveCounts[2 * market.index], liveCounts[2 * market.index + 1])
    }

    /// Whether `entry` is the live key of its slot.
    @inline(__always)
    func isLive(_ entry: LiquidationKeyBook.Entry) -> Bool {
        generations[Int(entry.slot)] == entry.generation
    }
}
