import FulcrumCore

/// One path of a multi-venue run: the main venue and every ``Scenario/linkedVenues`` entry, each a full
/// ``CascadeRun`` (its own clearing engine, profile and tiers, population, liquidity, oracle, keeper, agents and
/// insurance fund), stepped in lockstep on one exogenous price path and linked by the ``CrossVenueArbitrage``.
///
/// Each step: every venue opens its step (liquidity update) → the arbitrageur compares the venues' closes of
/// `lagSteps` steps ago, and for each cheap/rich pair whose gap beats the threshold buys on the cheap venue's
/// liquidity and sells on the rich venue's (both committed) → every venue closes its step (traded price, oracle,
/// agents, liquidations through its engine) → the basis of the step's traded prices is recorded.
///
/// Randomness: the exogenous path comes from stream `path` of the seed (as in a single-venue run); venue `k` draws
/// its population, engine and agents from ``Scenario/venueSeed(_:seed:)`` (venue 0 keeps the seed). Nothing depends
/// on threads, so Monte Carlo results and shards are exact.
struct MultiVenueRun: Sendable {
    /// The venues, the main one first.
    var venues: [CascadeRun]
    let arbitrage: CrossVenueArbitrage
    let feedback: Bool
    /// The arbitrage and basis record.
    var cross = CrossVenueMetrics()
    /// Every venue's close (the touch at the end of a step), the most recent last; kept for `lagSteps + 1` steps.
    var closes: [[Int64]] = []
    /// The first step whose closes differ by more than the threshold (whether or not the arbitrageur is on).
    var firstSignalStep: Int?
    /// The first step on which the arbitrageur traded.
    var firstTradeStep: Int?

    /// Prepares path `path` from prepared engines (one per venue, in ``Scenario/venueScenarios`` order).
    init(scenario: Scenario, clearings: [EngineClearing], path: Int, seed: UInt64, recordTrace: Bool) throws(LabError) {
        let scenarios = scenario.venueScenarios
        guard clearings.count == scenarios.count else {
            throw LabError("multi-venue run: \(clearings.count) engines for \(scenarios.count) venues")
        }
        venues = []
        venues.reserveCapacity(scenarios.count)
        for (k, venue) in scenarios.enumerated() {
            let venueSeed = Scenario.venueSeed(k, seed: seed)
            var run = try CascadeRun(
                scenario: venue,
                clearing: clearings[k],
                path: path,
                seed: venueSeed,
                recordTrace: recordTrace
            )
            run.random = CascadeRun.agentRandom(path: path, seed: venueSeed)
            venues.append(run)
        }
        arbitrage = scenario.crossVenueArbitrage
        feedback = scenario.feedback
    }

    /// Mirrors every venue's population into its own clearing engine (venue `k` under its own seed).
    static func clearings(
        scenario: Scenario,
        populations: [AccountBook],
        seed: UInt64
    ) throws(LabError)
        -> [EngineClearing]
    {
        let scenarios = scenario.venueScenarios
        guard populations.count == scenarios.count else {
            throw LabError("multi-venue run: \(populations.count) populations for \(scenarios.count) venues")
        }
        var engines: [EngineClearing] = []
        for (k, venue) in scenarios.enumerated() {
            engines.append(
                try EngineClearing(
                    scenario: venue,
                    population: populations[k],
                    seed: Scenario.venueSeed(k, seed: seed)
                )
            )
        }
        return engines
    }

    /// Runs path `path` of a multi-venue scenario from prepared engines; returns the finished run.
    static func run(
        scenario: Scenario,
        clearings: [EngineClearing],
        path: Int,
        seed: UInt64,
        recordTrace: Bool = false
    ) throws(LabError) -> MultiVenueRun {
        var run = try MultiVenueRun(
            scenario: scenario,
            clearings: clearings,
            path: path,
            seed: seed,
            recordTrace: recordTrace
        )
        try run.simulate(exogenous: try CascadeRun.exogenousPath(scenario: scenario, path: path, seed: seed))
        return run
    }

    /// The path's metrics: the main venue's, with the linked venues' and the cross-venue record attached.
    var metrics: PathMetrics {
        var m = venues[0].metrics
        m.linkedVenues = venues.dropFirst().map(\.metrics)
        m.crossVenue = cross
        return m
    }

    /// Every venue's trace (when recorded), the main venue first.
    var traces: [PathTrace] { venues.compactMap(\.trace) }

    /// Runs every step of every venue over the shared exogenous path.
    mutating func simulate(exogenous: PricePath) throws(LabError) {
        let count = venues.count
        for k in 0..<count { venues[k].beginSteps() }
        closes = [[Int64](repeating: exogenous.prices[0].raw, count: count)]
        var opened: [OpenedStep] = []
        opened.reserveCapacity(count)
        for step in 1..<exogenous.prices.count {
            let x = exogenous.prices[step]
            opened.removeAll(keepingCapacity: true)
            for k in 0..<count { opened.append(try venues[k].openStep(step, exogenous: x)) }
            // The arbitrageur sees the closes of step `step − 1 − lagSteps`.
            let seen = closes.count - 1 - arbitrage.lagSteps
            if feedback && arbitrage.enabled && seen >= 0 {
                try arbitrate(observed: closes[seen], opened: opened)
            }
            var low = Int64.max
            var high = Int64.min
            var stepCloses: [Int64] = []
            stepCloses.reserveCapacity(count)
            for k in 0..<count {
                let traded = try venues[k].closeStep(opened[k])
                low = Swift.min(low, traded.raw)
                high = Swift.max(high, traded.raw)
                stepCloses.append(try venues[k].touch(fundamental: opened[k].fundamental).raw)
            }
            let basis = Double(high) / Double(low) - 1
            if basis > cross.maxBasis {
                cross.maxBasis = basis
                cross.maxBasisStep = step
            }
            if firstSignalStep == nil, let cheap = stepCloses.min(), let rich = stepCloses.max(),
                Double(rich) / Double(cheap) - 1 > arbitrage.thresholdBps / 10_000
            {
                firstSignalStep = step
            }
            closes.append(stepCloses)
            if closes.count > arbitrage.lagSteps + 1 { closes.removeFirst(closes.count - arbitrage.lagSteps - 1) }
        }
        for k in 0..<count { try venues[k].finishSteps(lastExogenous: exogenous.prices.last) }
    }

    /// One step of cross-venue arbitrage on the observed (lagged) closes: venues sorted by observed price, the
    /// cheapest paired with the richest, inward, while the observed gap beats the threshold.
    mutating func arbitrate(observed: [Int64], opened: [OpenedStep]) throws(LabError) {
        let order = observed.indices.sorted { observed[$0] < observed[$1] || (observed[$0] == observed[$1] && $0 < $1) }
        let threshold = arbitrage.thresholdBps / 10_000
        var low = 0
        var high = order.count - 1
        var traded = false
        while low < high {
            let cheap = order[low]
            let rich = order[high]
            let excess = Double(observed[rich]) / Double(observed[cheap]) - 1 - threshold
            guard excess > 0 else { break }  // inner pairs have smaller observed gaps
            let size = try pairSize(cheap: cheap, rich: rich, excess: excess, opened: opened)
            if size.isPositive {
                let bought = try venues[cheap].crossVenueTrade(size, isBuy: true, at: opened[cheap])
                if bought.quantity.isPositive {
                    _ = try venues[rich].crossVenueTrade(bought.quantity, isBuy: false, at: opened[rich])
                    cross.arbitrageVolume += Int128(bought.quantity.raw)
                    cross.arbitrageNotional += bought.notional
                    traded = true
                }
            }
            low += 1
            high -= 1
        }
        if traded {
            cross.arbitrageSteps += 1
            if firstTradeStep == nil { firstTradeStep = venues[0].currentStep }
        }
    }

    /// The base quantity to buy on `cheap` and sell on `rich`: the largest size (at most the capacity) after which
    /// the current gap is still at least `max(threshold, current gap − strength × excess)`; zero when the current
    /// gap no longer beats the threshold. Bisection on raw units over trial trades on copies of the liquidity (the
    /// gap after a trade never grows with its size).
    func pairSize(cheap: Int, rich: Int, excess: Double, opened: [OpenedStep]) throws(LabError) -> Quantity {
        let threshold = arbitrage.thresholdBps / 10_000
        let low = try venues[cheap].touch(fundamental: opened[cheap].fundamental)
        let high = try venues[rich].touch(fundamental: opened[rich].fundamental)
        let current = Double(high.raw) / Double(low.raw) - 1
        guard current > threshold else { return .zero }
        let target = Swift.max(threshold, current - arbitrage.strength * excess)
        func gap(after raw: Int64) throws(LabError) -> Double {
            let q = Quantity(raw: raw)
            let up = try venues[cheap].touch(after: q, isBuy: true, at: opened[cheap])
            let down = try venues[rich].touch(after: q, isBuy: false, at: opened[rich])
            return Double(down.raw) / Double(up.raw) - 1
        }
        let capacity = arbitrage.capacityPerStep.raw
        if try gap(after: capacity) >= target { return arbitrage.capacityPerStep }
        var ok: Int64 = 0  // gap(after: ok) ≥ target
        var bad = capacity  // gap(after: bad) < target
        while bad - ok > 1 {
            let middle = ok + (bad - ok) / 2
            if try gap(after: middle) >= target { ok = middle } else { bad = middle }
        }
        return Quantity(raw: ok)
    }
}
