public import FulcrumCore

/// The clearing engine: markets, accounts, positions, insurance funds and the ledger totals, in contiguous
/// arrays indexed by dense ids (no graph of objects).
///
/// Positions are stored account-major (`positions[account · marketCount + market]`), so one account's
/// cross-margin check reads one contiguous run of 48-byte records. Apply events with ``apply(_:effects:)``;
/// a rejected event throws ``EngineError`` and leaves the state unchanged. ``checkInvariants()`` verifies
/// conservation to the unit, balanced open interest and the absence of unaccounted negative equity.
///
/// Money conservation (checked exactly, in 128 bits):
/// `Σ_accounts (wallet + Σ isolated margin − Σ position cost) + Σ insurance funds + fee pool
///  == deposits − withdrawals + bad debt`.
/// The position cost term is the open notional; since long and short open interest are equal, `−Σ cost`
/// equals the total unrealized PnL at any price, so the left side is the system's equity.
public struct ClearingEngine: Sendable {
    /// Engine settings.
    public internal(set) var configuration: EngineConfiguration
    /// Per-market mutable state, by ``MarketID``.
    public internal(set) var markets: [MarketState]
    /// Per-market static description, by ``MarketID``.
    public internal(set) var specs: [MarketSpec]
    /// Per-market venue rules, by ``MarketID``.
    public internal(set) var profiles: [VenueProfile]
    /// Leverage a new position starts with, by ``MarketID``: min(20, first tier's max leverage).
    public internal(set) var defaultLeverages: [Leverage]
    var symbolIndex: [String: MarketID]
    /// Per market: whether the profile's liquidation trigger is the mark price (else the oracle), cached so the
    /// hot path never copies a profile.
    @usableFromInline var markTriggered: [Bool]
    /// Per market: the raw contract value (quote per contract) of an inverse market, 0 for a linear market; cached
    /// so the valuation hot path never copies a spec.
    @usableFromInline var inverseContractValues: [Int64]
    /// Per market: the profile's backstop-takeover rule (``VenueProfile/backstopTakeover``), cached.
    var backstopRules: [BackstopTakeover?]
    /// Per market: whether liquidation fills are bounded by dYdX's fillable price and the fee follows dYdX's
    /// insurance-fund delta (profiles with ``VenueID/dydx``).
    var dydxLiquidations: [Bool]
    /// Cross wallet balance (collateral incl. realized PnL, fees and funding), by ``AccountID``.
    public internal(set) var balances: [Money]
    /// Positions, account-major.
    @usableFromInline var positions: [Position]
    /// Number of open positions per account (maintained by every fill), so sweeps skip flat accounts cheaply.
    var openPositionCounts: [Int32]
    /// Insurance funds: index 0 is the shared fund, index `m + 1` the fund of market `m` (per-market scope).
    public internal(set) var insuranceFunds: [Money]
    /// Trading fees, funding dust and socialization remainders.
    public internal(set) var feePool: Money
    /// All deposits (collateral and insurance-fund deposits).
    public internal(set) var totalDeposits: MoneySum
    /// All withdrawals.
    public internal(set) var totalWithdrawals: MoneySum
    /// Losses charged pro rata to other holders (socialization); already inside their balances.
    public internal(set) var socializedLoss: MoneySum
    /// Deficits no one covered (zeroed negative balances); the ledger's hole.
    public internal(set) var badDebt: MoneySum
    /// Number of events applied (rejected events are not counted).
    public internal(set) var eventCount: UInt64
    /// Whether a price, funding or socialization change happened since the last completed sweep (accounts may
    /// then be below zero equity until the next sweep).
    public internal(set) var sweepPending: Bool
    /// Buffers a clearing call reuses (the ADL queues), kept across calls so the steady state allocates nothing.
    /// Scratch only: not part of the state hash, snapshots, invariants or any comparison of engines.
    var clearingScratch = AutoDeleveragingQueues()
    /// The undo journal of the all-or-nothing calls (``withJournal(_:)``), kept across calls so the steady state
    /// allocates nothing. Scratch only, like ``clearingScratch``.
    var journal = ClearingJournal()
    /// The account lists of the targeted clearing calls, kept across calls. Scratch only.
    var targetedLists = TargetedClearingLists()
    /// Makes the engine address-only: methods receive `self` by address, never a stack copy of it (see
    /// ``PassedByAddress``).
    var passedByAddress = PassedByAddress()

    /// An empty engine.
    public init(configuration: EngineConfiguration = EngineConfiguration()) {
        self.configuration = configuration
        markets = []
        specs = []
        profiles = []
        defaultLeverages = []
        symbolIndex = [:]
        markTriggered = []
        inverseContractValues = []
        backstopRules = []
        dydxLiquidations = []
        balances = []
        positions = []
        openPositionCounts = []
        insuranceFunds = [.zero]
        feePool = .zero
        totalDeposits = MoneySum()
        totalWithdrawals = MoneySum()
        socializedLoss = MoneySum()
        badDebt = MoneySum()
        eventCount = 0
        sweepPending = false
    }

    /// Number of accounts.
    @inlinable public var accountCount: Int { balances.count }
    /// Number of markets.
    @inlinable public var marketCount: Int { markets.count }

    /// The market listed under `symbol`, if any.
    public func marketID(symbol: String) -> MarketID? { symbolIndex[symbol] }

    /// The position of `account` in `market` (a flat record when none is open).
    @inlinable public func position(_ account: AccountID, _ market: MarketID) -> Position {
        positions[account.index * markets.count + market.index]
    }

    /// Index into ``positions`` (internal layout).
    @inlinable func slot(_ account: Int, _ market: Int) -> Int { account * markets.count + market }

    /// The index in ``insuranceFunds`` that covers `market`: 0 (shared) or `market + 1` (per-market scope).
    public func insuranceFundIndex(for market: MarketID) -> Int {
        profiles[market.index].insuranceFundScope == .shared ? 0 : market.index + 1
    }

    /// The price that decides liquidation and margin in `market` (mark or oracle, per the profile).
    @inlinable
    public func triggerPrice(_ market: MarketID) -> Price {
        markTriggered[market.index] ? markets[market.index].markPrice : markets[market.index].indexPrice
    }

    /// Opens a new account with zero balance and returns its id (the event form is a deposit to the next id).
    public mutating func openAccount() -> AccountID {
        let id = AccountID(UInt32(balances.count))
        balances.append(.zero)
        openPositionCounts.append(0)
        for market in 0..<markets.count {
            positions.append(Position(leverage: defaultLeverages[market]))
        }
        return id
    }
}
