import FulcrumCore
public import FulcrumEngine

/// Workload `liq-index`: identifying the liquidatable set after one oracle update over a million open positions with
/// the incremental ``LiquidationIndex`` (issue 6: within 1 ms p99).
extension BenchWorkload {
    /// Oracle (trigger-price) updates timed by `liq-index`.
    static let indexUpdates = 10_000

    /// Builds an engine with `positions` open positions in market 0 (Binance BTCUSDT rules at 100,000; the markets
    /// of ``crossMarkets``): 90 % single-position accounts (half isolated, half cross) and 10 % cross accounts that
    /// also hold one or two of the other markets. Drawn from `seed` per account: deposit 100–10,000; leverage 2–10
    /// (70 %), 10–25 (25 %) or 25–50 (5 %); notional 50 %–95 % of deposit × leverage; side long or short. Account 0
    /// is the backstop and the counterparty of every trade; each market's insurance fund holds 10⁹.
    ///
    /// - Throws: ``BenchError`` when the engine rejects an event (it names the event).
    public static func indexEngine(positions: Int, seed: UInt64) throws(BenchError) -> ClearingEngine {
        guard positions > 0 else { throw BenchError("--positions \(positions) must be positive") }
        var setup = BenchEngineSetup(workload: "liq-index")
        var random = SplitMixRandom(seed: seed)
        let unit = FixedPointScale.factor
        try setup.listCrossMarkets()
        for market in 0..<crossMarkets.count {
            // A deep insurance fund, so the clearing after each update fills at the backstop (no ADL queue).
            try setup.send(
                .insuranceDeposit(market: MarketID(UInt32(market)), amount: Money(raw: 1_000_000_000 * unit))
            )
        }
        for account in 1...positions {
            let id = AccountID(UInt32(account))
            let deposit = Int64(100 + random.below(9_901))
            try setup.send(.deposit(account: id, amount: Money(raw: deposit * unit)))
            let roll = random.below(100)
            let cross = roll < 10
            let isolated = !cross && roll % 2 == 0
            var markets = [0]
            if cross {
                markets.append(1 + random.below(2))
                if random.below(2) == 0 { markets.append(markets[1] == 1 ? 2 : 1) }
            }
            let band = random.below(100)
            let leverage: Int64 =
                band < 70
                ? Int64(2 + random.below(9)) : band < 95 ? Int64(10 + random.below(16)) : Int64(25 + random.below(26))
            for market in markets {
                let marketID = MarketID(UInt32(market))
                let spec = crossMarkets[market].spec
                let price = crossMarkets[market].before * unit
                let maximum = spec.tiers.tiers[0].maxLeverage.raw / unit
                let chosen = min(leverage, maximum)
                try setup.send(.setLeverage(account: id, market: marketID, leverage: Leverage(raw: chosen * unit)))
                if isolated { try setup.send(.setMarginMode(account: id, market: marketID, mode: .isolated)) }
                // notional = deposit / markets × leverage × (50 %…95 %), in whole quote units ≤ 5·10⁵.
                let notional = deposit * chosen * Int64(50 + random.below(46)) / 100 / Int64(markets.count)
                let step = spec.stepSize.raw
                // size = notional / price on the step grid (floor: stays within initial margin).
                let steps = max(Int64(Int128(notional) * Int128(unit) * Int128(unit) / Int128(price) / Int128(step)), 1)
                let long = random.below(2) == 0
                let trade = EngineEvent.trade(
                    TradeEvent(
                        market: marketID,
                        buyer: long ? id : AccountID(0),
                        seller: long ? AccountID(0) : id,
                        size: Quantity(raw: steps * step),
                        price: Price(raw: price)
                    )
                )
                if market == 0 {
                    try setup.send(trade)
                } else {
                    // A second market may exceed the initial margin left (tier floors, step rounding): then the
                    // account keeps fewer markets.
                    _ = setup.sendIfAccepted(trade)
                }
            }
        }
        return setup.engine
    }

    /// Builds the engine and the index (timed), then applies ``indexUpdates`` mark updates to market 0 (its trigger):
    /// each moves the price by ±0.1 %…±2 % from the previous one (the sign is forced back toward the start beyond
    /// ±5 %), and times `candidates(afterPriceUpdate:in:into:)` (re-check of the crossed keys and the full
    /// liquidatable set). The accounts found are then liquidated (`liquidate(accounts:)`, the backstop fills) and the
    /// index re-keys what the clearing touched, untimed, as a venue would. Reports p50 / p99 / max per update and the
    /// build time; at the end the index is compared with a full scan of `isUnderMaintenance`.
    static func liquidationIndex(_ settings: BenchSettings) throws(BenchError) -> BenchMeasurement {
        var engine = try indexEngine(positions: settings.positions, seed: settings.seed)
        let clock = ContinuousClock()
        let buildStart = clock.now
        var index = LiquidationIndex(engine: engine)
        let build = seconds(clock.now - buildStart)
        var random = SplitMixRandom(seed: settings.seed ^ 0x5EED)
        let unit = FixedPointScale.factor
        let start = crossMarkets[0].before * unit
        var price = start
        var result: [AccountID] = []
        result.reserveCapacity(settings.positions)
        var latencies: [Double] = []
        latencies.reserveCapacity(indexUpdates)
        var total = 0.0
        var largest = 0
        let market = MarketID(0)
        var noEffects: [Effect] = []
        var executor = BackstopExecutor(account: AccountID(0))
        var upkeep = 0.0
        var liquidations = 0
        for _ in 0..<indexUpdates {
            let bps = Int64(10 + random.below(191))  // 0.1 %…2 %
            var up = random.below(2) == 0
            if price > start + start / 20 { up = false }
            if price < start - start / 20 { up = true }
            price += (up ? 1 : -1) * (price / 10_000 * bps)
            do {
                try engine.apply(.markPrice(market: market, price: Price(raw: price)), effects: &noEffects)
            } catch {
                throw BenchError("liq-index: price \(price) rejected: \(error)")
            }
            let begin = clock.now
            index.candidates(afterPriceUpdate: market, in: engine, into: &result)
            let elapsed = seconds(clock.now - begin)
            latencies.append(elapsed)
            total += elapsed
            largest = max(largest, result.count)
            noEffects.removeAll(keepingCapacity: true)
            guard !result.isEmpty else { continue }
            // Not timed: the venue liquidates what was found (targeted clearing) and the index re-keys the accounts
            // the clearing touched, as the server does; liquidated accounts then stop crossing keys.
            let upkeepStart = clock.now
            do {
                try engine.liquidate(accounts: result, executor: &executor, effects: &noEffects)
            } catch {
                throw BenchError("liq-index: targeted liquidation failed: \(error)")
            }
            index.refresh(effects: noEffects, in: engine)
            upkeep += seconds(clock.now - upkeepStart)
            liquidations += noEffects.count { $0.kind == .liquidationFill }
            noEffects.removeAll(keepingCapacity: true)
        }
        var expected = 0
        for account in 0..<engine.accountCount {
            if (try? engine.isUnderMaintenance(AccountID(UInt32(account)))) == true { expected += 1 }
        }
        let matches = expected == result.count
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1e6
        }
        let detail =
            "p50 \(formatted(percentile(0.5))) µs, p99 \(formatted(percentile(0.99))) µs, "
            + "max \(formatted(percentile(1))) µs per update over \(settings.positions) positions; "
            + "build \(formatted(build)) s; up to \(largest) accounts under maintenance; \(liquidations) "
            + "liquidation fills (untimed clearing + re-keying \(formatted(upkeep)) s); "
            + "full scan at end: \(expected) (\(matches ? "equal" : "DIFFERENT")); "
            + "\(index.statistics.crossedKeys) keys crossed, \(index.statistics.settledWithoutEvaluation) settled by "
            + "bounds, \(index.statistics.reevaluatedPools) pools re-evaluated, \(index.statistics.merges) merges"
        guard matches else { throw BenchError("liq-index: the index differs from the full scan: \(detail)") }
        return BenchMeasurement(
            name: BenchWorkload.liquidationIndex.rawValue,
            items: indexUpdates,
            seconds: total,
            bytesPerItem: 0,
            detail: detail
        )
    }

    /// Three significant decimals, without Foundation formatting.
    static func formatted(_ value: Double) -> String {
        let scaled = (value * 1_000).rounded() / 1_000
        return "\(scaled)"
    }
}
