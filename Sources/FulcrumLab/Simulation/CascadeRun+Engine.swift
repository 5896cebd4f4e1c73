import FulcrumCore
import FulcrumEngine

/// The cascade loop with `FulcrumEngine.ClearingEngine` as the clearing core.
extension CascadeRun {
    /// Runs one path with the clearing engine deciding and settling every liquidation: each step the lab sends the
    /// index and mark prices, and — when the oracle is valid — a liquidation sweep whose orders are filled by
    /// walking the lab's liquidity (``BookExecutor``). Fees, insurance fund, ADL, socialized loss and bad debt are
    /// read from the engine's effects.
    ///
    /// Cost: the engine's sweep visits every account, so this mode is O(accounts × steps); it is the reference the
    /// fast frontier loop (``run(scenario:population:path:seed:recordTrace:)``) is checked against, and the
    /// default once the engine offers a targeted (frontier) sweep.
    ///
    /// - Returns: the metrics and the final per-account flags (liquidated / ADL'd).
    public static func runWithEngine(
        scenario: Scenario,
        population: AccountBook,
        path: Int,
        seed: UInt64,
        recordTrace: Bool = false
    ) throws(LabError) -> (metrics: PathMetrics, trace: PathTrace?, accounts: AccountBook) {
        var run = try CascadeRun(
            scenario: scenario,
            population: population,
            path: path,
            seed: seed,
            recordTrace: recordTrace
        )
        run.clearing = try EngineClearing(scenario: scenario, population: population, seed: seed)
        var pathRandom = LabRandom(seed: seed, stream: UInt64(path))
        let returns = try scenario.priceModel.logReturns(steps: scenario.steps, random: &pathRandom)
        let exogenous = try PricePath(start: scenario.startPrice, logReturns: returns, tick: scenario.market.tickSize)
        run.random = LabRandom(seed: seed ^ 0xA5A5_A5A5_A5A5_A5A5, stream: UInt64(path))
        try run.simulate(exogenous: exogenous)
        return (run.metrics, run.trace, run.accounts)
    }

    /// One step of engine clearing: prices in, sweep with the book executor, effects into the metrics.
    mutating func engineStep(mark: Price?, traded: Price, fundamental: Price) throws(LabError) -> (Int, MoneySum) {
        guard var clearing else { return (0, MoneySum()) }
        let market = clearing.market
        var effects: [Effect] = []
        do {
            try clearing.engine.apply(.indexPrice(market: market, price: fundamental), effects: &effects)
            try clearing.engine.apply(.markPrice(market: market, price: mark ?? traded), effects: &effects)
        } catch {
            throw LabError("engine prices at step \(currentStep): \(error)")
        }
        guard mark != nil else {
            self.clearing = clearing
            return (0, MoneySum())
        }
        effects.removeAll(keepingCapacity: true)
        var executor = BookExecutor(
            liquidity: liquidity,
            mid: fundamental,
            commit: scenario.feedback,
            counterparty: EngineClearing.house
        )
        do {
            try clearing.engine.liquidationSweep(executor: &executor, effects: &effects)
        } catch {
            throw LabError("engine sweep at step \(currentStep): \(error)")
        }
        if let failure = executor.failure { throw failure }
        liquidity = executor.liquidity
        metrics.worstSlippage = Swift.max(metrics.worstSlippage, executor.worstSlippage)
        var count = 0
        var notional = MoneySum()
        for effect in effects {
            let value: Money
            do {
                value = try effect.size.magnitude.notional(at: effect.price, rounding: .halfEven)
            } catch {
                throw LabError(field: "engine effect notional", error)
            }
            switch effect.kind {
            case .liquidationFill:
                count += 1
                notional += value
                if let a = effect.account, Int(a.raw) >= EngineClearing.offset {
                    accounts.flags[Int(a.raw) - EngineClearing.offset] |= AccountBook.flagLiquidated
                }
            case .insuranceCover:
                metrics.badDebt += Money(raw: -effect.insuranceDelta.raw)
            case .badDebt, .socializedLoss:
                metrics.badDebt += effect.amount
                metrics.socializedLoss += effect.amount
                metrics.insuranceDepleted = true
            case .autoDeleverage:
                metrics.adlNotional += value
                metrics.insuranceDepleted = true
                if let c = effect.counterparty, Int(c.raw) >= EngineClearing.offset {
                    accounts.flags[Int(c.raw) - EngineClearing.offset] |= AccountBook.flagDeleveraged
                }
                if let a = effect.account, Int(a.raw) >= EngineClearing.offset {
                    accounts.flags[Int(a.raw) - EngineClearing.offset] |= AccountBook.flagLiquidated
                }
            default:
                break
            }
        }
        let fund = clearing.engine.insuranceFunds[clearing.engine.insuranceFundIndex(for: market)]
        insurance = fund.raw
        metrics.insuranceMinimum = Money.minimum(metrics.insuranceMinimum, fund)
        metrics.liquidations += count
        metrics.liquidatedNotional = metrics.liquidatedNotional + notional
        self.clearing = clearing
        return (count, notional)
    }
}
