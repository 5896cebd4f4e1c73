import FulcrumCore
import FulcrumEngine
import RealModule

/// One path of the cascade loop.
///
/// Each step: exogenous price → liquidity update (withdrawal, resilience, permanent impact, arbitrage) → traded
/// price → oracle update → mark price (profile trigger) → agents (hunters, deleveragers) → liquidation detection on
/// the crossed frontier only (never on an invalid oracle) → liquidation orders, at most the keeper's throughput,
/// executed against the liquidity (the book walk is the price impact) → insurance fund, ADL, socialized loss →
/// metrics. With `feedback == false` every trade is quoted against the liquidity but never consumes it, so the
/// traded price is the exogenous price (the control run).
///
/// Clearing is `FulcrumEngine`'s: the population is mirrored into a ``ClearingEngine`` (``EngineClearing``), the lab's
/// ``LiquidationFrontier`` finds the candidates (the accounts whose liquidation price the mark crossed, searched on the
/// profile's maintenance rule through ``LiquidationThreshold`` with the engine's own position numbers), and each
/// step's batch goes to the engine's targeted ``ClearingEngine/liquidate(accounts:executor:effects:)``: trigger check,
/// partial or full close per the profile's procedure, fee, insurance fund, ADL, socialized loss and bad debt are the
/// engine's. Orders fill against the lab's liquidity (``BookExecutor``). Every account the engine touched is copied
/// back into the lab's arrays and re-indexed. The lab has no liquidation rules of its own.
public struct CascadeRun: Sendable {
    let scenario: Scenario
    var accounts: AccountBook
    var frontier: LiquidationFrontier
    var liquidity: LiquidityState
    var oracle: Oracle
    var random: LabRandom
    /// The metrics so far.
    public internal(set) var metrics: PathMetrics
    /// The per-step series, when recorded.
    public internal(set) var trace: PathTrace?
    /// The engine's insurance fund after the last clearing (raw), for the trace.
    var insurance: Int64
    /// Quote taken out of the engine's insurance fund to redeem vault shares that lending keepers seized (raw).
    public internal(set) var insuranceRedeemed: Int128 = 0
    var permanent = 1.0
    var variance: Double
    var lastTraded: Int64
    var queue: [Int32] = []
    var queueReady: [Int32] = []
    var queueHead = 0
    var queued: [Bool]
    var depletionHistory: [Int64] = []
    var hunterHolding: Int64 = 0
    var hunterBuyStep = 0
    var histogram: [Double]
    var currentStep = 0
    var firstLiquidationStep = -1
    var lastLiquidationStep = -1
    var deleverageTriggered = false
    var minTraded: Int64
    /// Lowest exogenous price so far (raw).
    var minExogenous: Int64
    /// Per-step decay of the traded-volatility EWMA: `2^(−1/volatilityHalfLife)`.
    var decay = 1.0
    var crossed: [LiquidationFrontier.Entry] = []
    /// The clearing engine holding every lab account.
    var clearing: EngineClearing
    /// Reference mode for tests: a full ``ClearingEngine/liquidationSweep(executor:effects:)`` every step instead of
    /// the frontier and the keeper queue (O(accounts × steps)).
    var fullSweep = false
    /// Reused buffers: one step's batch, the engine's effects, the accounts they touched.
    var batch: [AccountID] = []
    var effects: [Effect] = []
    var touched: [Int32] = []
    /// Whether the long liquidation-price histogram is kept (only hunters read it).
    let tracksClusters: Bool
    var lending: LendingLayer?  // lending layer

    static let bucketWidth = 0.0025
    static let bucketCount = 400

    /// Prepares path `path` of `scenario` over `population` (mirrored into a new clearing engine).
    public init(
        scenario: Scenario,
        population: AccountBook,
        path: Int,
        seed: UInt64,
        recordTrace: Bool
    ) throws(LabError) {
        try self.init(
            scenario: scenario,
            clearing: try EngineClearing(scenario: scenario, population: population, seed: seed),
            path: path,
            seed: seed,
            recordTrace: recordTrace
        )
    }

    /// Prepares path `path` of `scenario` from a prepared engine (a copy of one shared by every path).
    init(
        scenario: Scenario,
        clearing: consuming EngineClearing,
        path: Int,
        seed: UInt64,
        recordTrace: Bool
    ) throws(LabError) {
        let population = clearing.accounts
        self.scenario = scenario
        frontier = clearing.frontier
        self.clearing = consume clearing
        accounts = population
        liquidity = LiquidityState(model: scenario.liquidity.model)
        oracle = try Oracle(config: scenario.oracle)
        random = LabRandom(seed: seed, stream: UInt64(path))
        metrics = PathMetrics(path: path, insurance: scenario.insuranceFund)
        trace = recordTrace ? PathTrace() : nil
        insurance = scenario.insuranceFund.raw
        variance = scenario.liquidity.referenceVolatility * scenario.liquidity.referenceVolatility
        lastTraded = scenario.startPrice.raw
        minTraded = scenario.startPrice.raw
        minExogenous = scenario.startPrice.raw
        queued = [Bool](repeating: false, count: population.count)
        tracksClusters = scenario.feedback && scenario.agents.huntersEnabled
        if !tracksClusters {
            histogram = [Double](repeating: 0, count: Self.bucketCount)
        } else if self.clearing.clusterStart == scenario.startPrice.raw {
            histogram = self.clearing.clusters  // the engine's copy, summed once for every path
        } else {
            histogram = Self.clusterHistogram(population, start: scenario.startPrice.raw)
        }
        self.clearing.accounts = AccountBook()  // the run's own copy is `accounts`
        self.clearing.frontier = LiquidationFrontier(accounts: AccountBook())  // the run's own is `frontier`
    }

    /// Runs the whole path and returns its metrics (and trace when recorded).
    public static func run(
        scenario: Scenario,
        population: AccountBook,
        path: Int,
        seed: UInt64,
        recordTrace: Bool = false
    ) throws(LabError) -> (metrics: PathMetrics, trace: PathTrace?) {
        let clearing = try EngineClearing(scenario: scenario, population: population, seed: seed)
        let run = try run(scenario: scenario, clearing: clearing, path: path, seed: seed, recordTrace: recordTrace)
        return (run.metrics, run.trace)
    }

    /// Runs path `path` from a prepared engine; returns the finished run.
    static func run(
        scenario: Scenario,
        clearing: consuming EngineClearing,
        path: Int,
        seed: UInt64,
        recordTrace: Bool = false,
        fullSweep: Bool = false
    ) throws(LabError) -> CascadeRun {
        var run = try CascadeRun(
            scenario: scenario,
            clearing: consume clearing,
            path: path,
            seed: seed,
            recordTrace: recordTrace
        )
        run.fullSweep = fullSweep
        let exogenous = try exogenousPath(scenario: scenario, path: path, seed: seed)
        run.random = agentRandom(path: path, seed: seed)
        try run.simulate(exogenous: exogenous)
        return run
    }

    /// Path `path`'s exogenous prices: the scenario's price model on stream `path` of `seed`, rounded to the tick.
    static func exogenousPath(scenario: Scenario, path: Int, seed: UInt64) throws(LabError) -> PricePath {
        var pathRandom = LabRandom(seed: seed, stream: UInt64(path))
        let returns = try scenario.priceModel.logReturns(steps: scenario.steps, random: &pathRandom)
        return try PricePath(start: scenario.startPrice, logReturns: returns, tick: scenario.market.tickSize)
    }

    /// The generator the run's agents (and the lending layer's setup) draw from on path `path`.
    static func agentRandom(path: Int, seed: UInt64) -> LabRandom {
        LabRandom(seed: seed ^ 0xA5A5_A5A5_A5A5_A5A5, stream: UInt64(path))
    }

    /// Accounts after the run (sizes, margins, liquidation prices, flags), for tests and validation; `entries` are
    /// the opening entries (the engine's open notional is the position's cost).
    public var finalAccounts: AccountBook { accounts }

    func bucket(of price: Int64) -> Int { Self.bucket(of: price, start: scenario.startPrice.raw) }

    /// The histogram bucket of liquidation price `price`: its distance below `start` in steps of ``bucketWidth``.
    static func bucket(of price: Int64, start: Int64) -> Int {
        let start = Double(start)
        let b = Int(((start - Double(price)) / start / Self.bucketWidth).rounded(.down))
        return Swift.min(Self.bucketCount - 1, Swift.max(0, b))
    }

    /// The long liquidation notional of `accounts` per bucket below `start` (what hunters read), summed in account
    /// order: exactly what adding every open long one by one gives.
    static func clusterHistogram(_ accounts: AccountBook, start: Int64) -> [Double] {
        var histogram = [Double](repeating: 0, count: bucketCount)
        for i in 0..<accounts.count where accounts.sizes[i] > 0 && accounts.flags[i] & AccountBook.flagLong != 0 {
            let liq = accounts.liquidationPrices[i]
            guard liq > 0 else { continue }
            histogram[bucket(of: liq, start: start)] += Double(accounts.sizes[i]) * Double(liq) / 1e16
        }
        return histogram
    }

    mutating func addToHistogram(_ i: Int, sign: Double) {
        guard tracksClusters else { return }
        let liq = accounts.liquidationPrices[i]
        guard liq > 0, accounts.flags[i] & AccountBook.flagLong != 0 else { return }
        histogram[bucket(of: liq)] += sign * Double(accounts.sizes[i]) * Double(liq) / 1e16
    }

    /// Runs every step over an exogenous path.
    public mutating func simulate(exogenous: PricePath) throws(LabError) {
        beginSteps()
        for step in 1..<exogenous.prices.count {
            let opened = try openStep(step, exogenous: exogenous.prices[step])
            _ = try closeStep(opened)
        }
        try finishSteps(lastExogenous: exogenous.prices.last)
    }

    /// Records step 0 (the start) in the trace and resets the exogenous minimum.
    mutating func beginSteps() {
        minExogenous = scenario.startPrice.raw
        decay = Double.exp2(-1 / scenario.liquidity.volatilityHalfLife)
        if var t = trace {
            t.exogenous.append(Double(scenario.startPrice.raw) / 1e8)
            t.traded.append(Double(scenario.startPrice.raw) / 1e8)
            t.mark.append(Double(scenario.startPrice.raw) / 1e8)
            t.oracleValid.append(true)
            t.liquidations.append(0)
            t.liquidatedNotional.append(0)
            t.insurance.append(Double(insurance) / 1e8)
            t.badDebt.append(0)
            t.adlNotional.append(0)
            t.depthMultiplier.append(scenario.liquidity.depthScale)
            trace = t
        }
    }

    /// The first half of step `step` at exogenous price `x`: the liquidity update (withdrawal from realized
    /// volatility, resilience, the perp ↔ index arbitrage, permanent impact). A multi-venue driver trades between
    /// venues after this half (``crossVenueTrade(_:isBuy:at:)``) and before ``closeStep(_:)``.
    mutating func openStep(_ step: Int, exogenous x: Price) throws(LabError) -> OpenedStep {
        let config = scenario.liquidity
        let feedback = scenario.feedback
        currentStep = step
        minExogenous = Swift.min(minExogenous, x.raw)
        // 1. Liquidity: withdrawal from realized volatility, resilience, permanent impact, arbitrage.
        let sigma = variance.squareRoot()
        let stress = Swift.max(0, sigma / config.referenceVolatility - 1)
        let withdrawal = Swift.max(config.withdrawalFloor, 1 / (1 + config.withdrawalSensitivity * stress))
        let multiplier = config.depthScale * withdrawal
        try liquidity.setDepthMultiplier(multiplier)
        let before = liquidity.displacement
        liquidity.refill(fraction: config.resilience)
        var fundamental = try price(x, times: permanent)
        if feedback && scenario.agents.arbitrageEnabled {
            let lag = scenario.agents.arbitrageLagSteps
            let observed = depletionHistory.count > lag ? depletionHistory[depletionHistory.count - 1 - lag] : 0
            let amount = Swift.min(
                liquidity.bidDepletion,
                Int64(Double(observed) * scenario.agents.arbitrageStrength)
            )
            if amount > 0 {
                _ = try liquidity.trade(Quantity(raw: amount), mid: fundamental, isSell: false, commit: true)
            }
        }
        let after = liquidity.displacement
        if feedback {
            let gamma = config.permanentImpact
            permanent *= Swift.max(0.01, 1 - gamma * (before.bid - after.bid) + gamma * (before.ask - after.ask))
            fundamental = try price(x, times: permanent)
        }
        return OpenedStep(exogenous: x, sigma: sigma, multiplier: multiplier, fundamental: fundamental)
    }

    /// The second half of the step opened by ``openStep(_:exogenous:)``: hunters, the traded price, oracle, mark,
    /// agents, detection and clearing, the lending layer, metrics and the trace. Returns the step's traded price.
    @discardableResult
    mutating func closeStep(_ opened: OpenedStep) throws(LabError) -> Price {
        let config = scenario.liquidity
        let feedback = scenario.feedback
        let step = currentStep
        let x = opened.exogenous
        let sigma = opened.sigma
        let fundamental = opened.fundamental
        // 2. Hunters buy back.
        if feedback && hunterHolding > 0 && step >= hunterBuyStep {
            _ = try liquidity.trade(Quantity(raw: hunterHolding), mid: fundamental, isSell: false, commit: true)
            hunterHolding = 0
        }
        // 3. Traded price: the touch after displacement.
        let displaced = liquidity.displacement
        let traded = feedback ? try price(fundamental, times: 1 - displaced.bid + displaced.ask) : x
        minTraded = Swift.min(minTraded, traded.raw)
        // 4. Oracle, 5. mark.
        let oraclePrice = oracle.update(step: step, traded: traded)
        var mark: Price?
        if let o = oraclePrice {
            switch scenario.profile.liquidationTrigger {
            case .oraclePrice: mark = o
            case .markPrice:
                // Median of the oracle, the last traded price and the index (Binance-style mark construction).
                let (a, b, c) = (o.raw, traded.raw, fundamental.raw)
                mark = Price(raw: Swift.max(Swift.min(a, b), Swift.min(Swift.max(a, b), c)))
            }
        }
        // 6. Agents.
        if feedback && scenario.agents.huntersEnabled && hunterHolding == 0 {
            try hunt(traded: traded, fundamental: fundamental, step: step)
        }
        if scenario.agents.deleveragingEnabled && !deleverageTriggered
            && sigma > scenario.agents.deleverageVolatilityMultiple * config.referenceVolatility
        {
            deleverageTriggered = true
            try deleverage(oracle: oraclePrice ?? fundamental, mark: mark ?? traded, fundamental: fundamental)
        }
        // 7. Detection and 8. execution (the engine clears).
        var stepLiquidations = 0
        var stepNotional = MoneySum()
        if let mark, let oraclePrice {
            if fullSweep {
                (stepLiquidations, stepNotional) = try sweepStep(
                    oracle: oraclePrice,
                    mark: mark,
                    fundamental: fundamental
                )
            } else {
                detect(mark: mark, step: step)
                (stepLiquidations, stepNotional) = try execute(
                    oracle: oraclePrice,
                    mark: mark,
                    fundamental: fundamental,
                    step: step
                )
            }
        } else {
            metrics.invalidOracleSteps += 1
            crossed.removeAll(keepingCapacity: true)
            frontier.popCrossed(longsAtOrBelow: traded.raw, into: &crossed)
            frontier.popCrossed(shortsAtOrAbove: traded.raw, into: &crossed)
            for entry in crossed {
                let id = Int(entry.id)
                if accounts.sizes[id] > 0 && accounts.liquidationPrices[id] == entry.key {
                    metrics.heldOnInvalidOracle += 1
                }
                frontier.push(id: id, key: entry.key, isLong: accounts.flags[id] & AccountBook.flagLong != 0)
            }
        }
        // Lending layer.
        try lendingStep(exogenous: x, oracle: oraclePrice, traded: traded, fundamental: fundamental)
        if stepLiquidations > 0 {
            if firstLiquidationStep < 0 { firstLiquidationStep = step }
            lastLiquidationStep = step
        }
        depletionHistory.append(liquidity.bidDepletion)
        if depletionHistory.count > 64 { depletionHistory.removeFirst(depletionHistory.count - 64) }
        // Volatility estimate from the traded price.
        let r = Double.log(Double(traded.raw) / Double(lastTraded))
        variance = decay * variance + (1 - decay) * r * r
        lastTraded = traded.raw
        if var t = trace {
            t.exogenous.append(Double(x.raw) / 1e8)
            t.traded.append(Double(traded.raw) / 1e8)
            t.mark.append(Double((mark ?? traded).raw) / 1e8)
            t.oracleValid.append(mark != nil)
            t.liquidations.append(stepLiquidations)
            t.liquidatedNotional.append(Double(stepNotional.raw) / 1e8)
            t.insurance.append(Double(insurance) / 1e8)
            t.badDebt.append(Double(metrics.badDebt.raw) / 1e8)
            t.adlNotional.append(Double(metrics.adlNotional.raw) / 1e8)
            t.depthMultiplier.append(opened.multiplier)
            trace = t
        }
        return traded
    }

    /// Ends the run: the displacement the last step left counts toward the total move; moves, amplification,
    /// insurance, quiescence, account counts and the lending layer's outcome go into the metrics.
    mutating func finishSteps(lastExogenous: Price?) throws(LabError) {
        // The displacement left by the last step's liquidations counts toward the total move.
        if scenario.feedback, let last = lastExogenous {
            let d = liquidity.displacement
            let final = try price(try price(last, times: permanent), times: 1 - d.bid + d.ask)
            minTraded = Swift.min(minTraded, final.raw)
        }
        let start = Double(scenario.startPrice.raw)
        metrics.exogenousMove = (start - Double(minExogenous)) / start
        metrics.totalMove = (start - Double(minTraded)) / start
        metrics.amplification = metrics.exogenousMove > 1e-12 ? metrics.totalMove / metrics.exogenousMove : 1
        metrics.insuranceEnd = Money(raw: insurance)
        metrics.quiescenceSteps = firstLiquidationStep < 0 ? 0 : lastLiquidationStep - firstLiquidationStep + 1
        var liquidated = 0
        var deleveraged = 0
        for f in accounts.flags {
            if f & AccountBook.flagLiquidated != 0 { liquidated += 1 }
            if f & AccountBook.flagDeleveraged != 0 { deleveraged += 1 }
        }
        metrics.liquidatedAccounts = liquidated
        metrics.adlAccounts = deleveraged
        metrics.lending = try lending?.report().pathMetrics ?? []  // lending layer
    }

    /// `p · factor` rounded half-even to a positive raw price (a model price, favours no one).
    func price(_ p: Price, times factor: Double) throws(LabError) -> Price {
        let value = (Double(p.raw) * factor).rounded(.toNearestOrEven)
        guard value.isFinite, value < 9.2e18 else { throw LabError("price \(p) × \(factor) overflows") }
        return Price(raw: Swift.max(1, Int64(value)))
    }
}
