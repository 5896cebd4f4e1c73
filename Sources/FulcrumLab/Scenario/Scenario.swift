public import FulcrumCore

/// Everything one cascade-lab run needs. Every field is documented with units and defaults in `docs/SCENARIO.md`;
/// ``Scenario/builtIn`` is the default `fulcrum stress` runs.
public struct Scenario: Sendable, Hashable {
    /// A short name for reports.
    public var name: String
    /// The venue's clearing rules (margin, trigger, liquidation procedure, fee, ADL).
    public var profile: VenueProfile
    /// The market (tiers, tick, step).
    public var market: MarketSpec
    /// Price at step 0.
    public var startPrice: Price
    /// Number of steps.
    public var steps: Int
    /// Seconds per step (for reports; models are per step).
    public var stepSeconds: Int
    /// The exogenous price model.
    public var priceModel: PriceModel
    /// Prices before the start for entry prices (index 0 = start); `nil` draws a synthetic random walk at
    /// `entryVolatility`.
    public var entryHistory: [Price]?
    /// Per-step volatility of the synthetic entry history.
    public var entryVolatility: Double
    /// Liquidity.
    public var liquidity: LiquidityConfig
    /// Oracle.
    public var oracle: OracleConfig
    /// Account population.
    public var population: PopulationConfig
    /// Insurance fund at the start (quote).
    public var insuranceFund: Money
    /// Keeper throughput and latency.
    public var keeper: KeeperConfig
    /// Agents.
    public var agents: AgentsConfig
    /// Whether liquidations move the price (`false`: the control run, `--no-feedback`).
    public var feedback: Bool
    /// Lending markets whose keepers trade on the same liquidity (issue 4); `nil` = none (the default).
    public var lending: LendingLayerConfig?
    /// The main venue's name in multi-venue reports; `nil` = the venue id (`generic`, `binance`, …).
    public var venueName: String?
    /// More venues/markets run in lockstep on the same exogenous path (empty: a single-venue run, the default).
    public var linkedVenues: [LinkedVenue] = []
    /// The arbitrageur linking the venues (used only with ``linkedVenues``).
    public var crossVenueArbitrage = CrossVenueArbitrage()

    /// Creates a scenario.
    public init(
        name: String,
        profile: VenueProfile,
        market: MarketSpec,
        startPrice: Price,
        steps: Int,
        stepSeconds: Int,
        priceModel: PriceModel,
        entryHistory: [Price]?,
        entryVolatility: Double,
        liquidity: LiquidityConfig,
        oracle: OracleConfig,
        population: PopulationConfig,
        insuranceFund: Money,
        keeper: KeeperConfig,
        agents: AgentsConfig,
        feedback: Bool
    ) {
        self.name = name
        self.profile = profile
        self.market = market
        self.startPrice = startPrice
        self.steps = steps
        self.stepSeconds = stepSeconds
        self.priceModel = priceModel
        self.entryHistory = entryHistory
        self.entryVolatility = entryVolatility
        self.liquidity = liquidity
        self.oracle = oracle
        self.population = population
        self.insuranceFund = insuranceFund
        self.keeper = keeper
        self.agents = agents
        self.feedback = feedback
    }

    /// Checks every field.
    ///
    /// - Throws: ``LabError`` naming the field and value.
    public func validate() throws(LabError) {
        guard startPrice.isPositive else { throw LabError("startPrice \(startPrice) must be positive") }
        guard steps >= 1, steps <= 10_000_000 else { throw LabError("steps \(steps) must be in 1...10000000") }
        guard stepSeconds >= 1 else { throw LabError("stepSeconds \(stepSeconds) must be ≥ 1") }
        guard entryVolatility >= 0, entryVolatility < 1 else {
            throw LabError("entryVolatility \(entryVolatility) must be in [0, 1)")
        }
        guard !insuranceFund.isNegative else { throw LabError("insuranceFund \(insuranceFund) must be ≥ 0") }
        guard market.kind == .linear else {
            throw LabError("market.kind \(market.kind.rawValue): the lab models linear contracts")
        }
        guard market.tickSize.isPositive else { throw LabError("market.tickSize \(market.tickSize) must be positive") }
        try liquidity.validate()
        try oracle.validate()
        try population.validate()
        try keeper.validate()
        try agents.validate()
        try lending?.validate()
        if let lending, lending.markets.contains(where: { $0.collateral == .insuranceShare }), !insuranceFund.isPositive
        {
            throw LabError("lending insuranceShare collateral needs insuranceFund > 0 (it is \(insuranceFund))")
        }
        if let lending, lending.lpPoolBaseReserve == nil,
            let k = lending.markets.firstIndex(where: { $0.collateral == .ammLP })
        {
            guard case .constantProduct = liquidity.model else {
                throw LabError(
                    "lending.lpPoolBaseReserve is required: lending.markets[\(k)] has ammLP collateral and the "
                        + "liquidity model has no constant-product AMM to size the LP pool from"
                )
            }
        }
        try validateLinkedVenues()
    }
}
