import FulcrumCore
import FulcrumEngine

/// The lab's population mirrored into a `FulcrumEngine.ClearingEngine`, so liquidation detection, the waterfall
/// (fee, insurance fund, ADL at the bankruptcy price, socialized loss, bad debt) are the engine's own.
///
/// Account 0 is the engine's backstop vault, account 1 the "house" (the market makers who took the other side of
/// every position and who take liquidation fills), lab account `i` is engine account `i + 2`. Each lab account is
/// opened exactly as a trader would: deposit its margin, choose isolated or cross, set the leverage, trade at its
/// entry price (the mark is moved to the entry first), and for isolated positions move the rest of the margin in —
/// through ``ClearingEngine/openAccounts(_:counterparty:)``, which gives exactly that event sequence's state.
///
/// ``accounts`` is the population as the engine holds it: where the engine's open notional or margin differs from
/// what the lab assumed (the engine books a fill at the half-even notional; the lab's search assumed the cost rounded
/// against the trader), the liquidation price is searched again on the engine's numbers, so the frontier and the
/// engine agree from the first step.
struct EngineClearing: Sendable {
    var engine: ClearingEngine
    /// The population reconciled with the engine (see above).
    var accounts: AccountBook
    /// The liquidation-price index of ``accounts``, built once and shared by every path's copy (a path only moves
    /// its cursors and pushes re-indexed accounts apart: ``LiquidationFrontier``).
    var frontier = LiquidationFrontier(accounts: AccountBook())
    /// The long liquidation notional of ``accounts`` per bucket (``CascadeRun/clusterHistogram(_:start:)``) below
    /// ``clusterStart``, summed once and shared by every path.
    var clusters: [Double] = []
    /// The start price ``clusters`` was bucketed from (raw); 0 when the scenario's paths do not track clusters.
    var clusterStart: Int64 = 0
    let market = MarketID(0)
    static let house = AccountID(1)
    static let offset = 2
    /// Openings per bulk call during setup.
    static let chunkSize = 4_096

    init(scenario: Scenario, population: AccountBook, seed: UInt64) throws(LabError) {
        engine = ClearingEngine(configuration: EngineConfiguration(backstopAccount: AccountID(0), seed: seed))
        accounts = population
        var effects: [Effect] = []
        func apply(_ event: EngineEvent) throws(EngineError) {
            effects.removeAll(keepingCapacity: true)
            try engine.apply(event, effects: &effects)
        }
        do {
            try apply(.listMarket(MarketListing(spec: scenario.market, profile: scenario.profile)))
            try apply(
                .deposit(account: AccountID(0), amount: Money(raw: 1_000_000_000 * FixedPointScale.factor))
            )
            try apply(.deposit(account: Self.house, amount: Money(raw: 50_000_000_000 * FixedPointScale.factor)))
            if scenario.insuranceFund.isPositive {
                // Into the fund the market's liquidations draw on (the shared fund, or the market's own when the
                // profile keeps one per market, as Binance's does).
                try apply(.insuranceDeposit(market: market, amount: scenario.insuranceFund))
            }
            let firstTierMax = scenario.market.tiers.tiers[0].maxLeverage
            try apply(.setLeverage(account: Self.house, market: market, leverage: firstTierMax))
            // The population's openings in one bulk call per chunk (exactly the event sequence above, without
            // the per-event overhead); chunks keep the transient opening records small.
            engine.reserveAccountCapacity(population.count)
            var chunk: [ClearingEngine.AccountOpening] = []
            chunk.reserveCapacity(Swift.min(population.count, Self.chunkSize))
            for i in 0..<population.count {
                let size = Quantity(raw: population.sizes[i])
                let entry = Price(raw: population.entries[i])
                let notional = try size.notional(at: entry, rounding: .up)
                let cap = Leverage.minimum(
                    firstTierMax,
                    scenario.market.tiers.tier(forSize: size, notional: notional).maxLeverage
                )
                chunk.append(
                    ClearingEngine.AccountOpening(
                        deposit: Money(raw: population.margins[i]),
                        market: market,
                        mode: population.isCross(i) ? .cross : .isolated,
                        leverage: cap,
                        size: population.side(i) == .long ? size : -size,
                        price: entry
                    )
                )
                if chunk.count == Self.chunkSize || i == population.count - 1 {
                    try engine.openAccounts(chunk, counterparty: Self.house)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            try apply(.markPrice(market: market, price: scenario.startPrice))
            try apply(.indexPrice(market: market, price: scenario.startPrice))
        } catch {
            throw LabError("engine setup: \(error)")
        }
        try reconcile(scenario: scenario)
        frontier = LiquidationFrontier(accounts: accounts)
        if scenario.feedback && scenario.agents.huntersEnabled {
            clusterStart = scenario.startPrice.raw
            clusters = CascadeRun.clusterHistogram(accounts, start: clusterStart)
        }
    }

    /// Re-searches the liquidation price of every account whose engine cost or margin differs from the lab's.
    private mutating func reconcile(scenario: Scenario) throws(LabError) {
        for i in 0..<accounts.count where accounts.sizes[i] > 0 {
            let position = position(of: i)
            let margin = margin(of: i)
            let size = Quantity(raw: accounts.sizes[i])
            let long = accounts.side(i) == .long
            let assumed: Money
            do {
                assumed = try size.notional(at: Price(raw: accounts.entries[i]), rounding: long ? .up : .down)
            } catch {
                throw LabError(field: "notional of account \(i)", error)
            }
            let cost = position.cost.magnitude
            guard cost != assumed || margin.raw != accounts.margins[i] else { continue }
            accounts.margins[i] = margin.raw
            accounts.liquidationPrices[i] =
                LiquidationThreshold.price(
                    side: long ? .long : .short,
                    size: size,
                    cost: cost,
                    margin: margin,
                    profile: scenario.profile,
                    market: scenario.market
                )?.raw ?? 0
        }
    }

    /// The engine account of lab account `i`.
    static func account(_ i: Int) -> AccountID { AccountID(UInt32(i + offset)) }

    /// The lab account of engine account `id`, or `nil` for the backstop and the house.
    static func labAccount(_ id: AccountID?) -> Int? {
        guard let id, id.index >= offset else { return nil }
        return id.index - offset
    }

    /// The position the engine holds for lab account `i`.
    func position(of i: Int) -> Position { engine.position(Self.account(i), market) }

    /// The margin backing lab account `i`'s position: its isolated margin, or its cross wallet.
    func margin(of i: Int) -> Money { margin(of: i, position: position(of: i)) }

    /// ``margin(of:)`` for lab account `i` whose `position` the caller already read (one position read, not two).
    func margin(of i: Int, position: Position) -> Money {
        position.mode == .isolated ? position.isolatedMargin : engine.balances[i + Self.offset]
    }

    /// Sends one step's prices: the index is the oracle price, the mark the lab's mark, so the engine's trigger
    /// price (mark or oracle, per the profile) is the price the lab's frontier was searched at.
    mutating func setPrices(index: Price, mark: Price, effects: inout [Effect]) throws(LabError) {
        do {
            try engine.apply(.indexPrice(market: market, price: index), effects: &effects)
            try engine.apply(.markPrice(market: market, price: mark), effects: &effects)
        } catch {
            throw LabError("engine prices: \(error)")
        }
    }
}
