import FulcrumCore
import FulcrumEngine

/// The lending layer's hook in the cascade loop (issue 4): one call per step, after the perpetual liquidations.
extension CascadeRun {
    /// Runs the lending layer for one step: on the first step it creates the markets (loops buy on the shared
    /// liquidity); then prices in (the scenario's lagged oracle, the engine's insurance fund), unwinds, keepers.
    /// Keepers' and unwinders' trades walk the same ``LiquidityState`` as the perpetual liquidations (committed
    /// only with feedback), so lending and perpetual liquidations push the same price.
    mutating func lendingStep(exogenous: Price, oracle: Price?, traded: Price, fundamental: Price) throws(LabError) {
        guard let config = scenario.lending else { return }
        if lending == nil {
            // A private stream drawn from a copy of the run's generator: the run's own draws are unchanged.
            var copy = random
            var stream = LabRandom(seed: copy.next(), stream: 0x1E4D)
            lending = try LendingLayer(
                config: config,
                startPrice: scenario.startPrice,
                insurance: scenario.insuranceFund,
                liquidityModel: scenario.liquidity,
                random: &stream,
                liquidity: &liquidity,
                commit: scenario.feedback
            )
        }
        // Read before the call, which modifies `lending` in place (an overlapping read of `self` is not allowed).
        let commit = scenario.feedback
        let fund = insurance
        try lending?.step(
            exogenous: exogenous,
            oracle: oracle,
            traded: traded,
            insurance: fund,
            liquidity: &liquidity,
            mid: fundamental,
            commit: commit
        )
        // Vault shares redeemed this step are paid from the engine's insurance fund (at most what it holds).
        let redeemed = lending?.takeInsuranceRedemptions() ?? 0
        let index = clearing.engine.insuranceFundIndex(for: clearing.market)
        let amount = Swift.min(redeemed, clearing.engine.insuranceFunds[index].raw)
        guard amount > 0 else { return }
        do {
            _ = try clearing.engine.apply(.insuranceWithdrawal(market: clearing.market, amount: Money(raw: amount)))
        } catch {
            throw LabError("lending: insurance-share redemption of \(Money(raw: amount)): \(error)")
        }
        insurance = clearing.engine.insuranceFunds[index].raw
        metrics.insuranceMinimum = Money.minimum(metrics.insuranceMinimum, Money(raw: insurance))
        insuranceRedeemed += Int128(amount)
    }

    /// The contagion report of the lending layer (`nil` without one, or before the first step).
    public func contagionReport() throws(LabError) -> ContagionReport? {
        try lending?.report()
    }

    /// The lending layer's state (`nil` without one), for tests and reports.
    public var lendingLayer: LendingLayer? { lending }
}

extension CascadeRun {
    /// Runs path `path` of `scenario` and returns its lending layer's contagion report (`nil` without lending).
    ///
    /// In a multi-venue scenario the lending layer runs on the main venue, inside the whole multi-venue run (the
    /// arbitrage moves the price it sees): pass every linked venue's population in `linkedPopulations` (in `venues`
    /// order, as ``MonteCarloRunner/populations(scenario:seed:threads:)`` draws them).
    public static func contagion(
        scenario: Scenario,
        population: AccountBook,
        linkedPopulations: [AccountBook] = [],
        path: Int,
        seed: UInt64
    ) throws(LabError) -> ContagionReport? {
        guard scenario.lending != nil else { return nil }
        if scenario.isMultiVenue {
            let clearings = try MultiVenueRun.clearings(
                scenario: scenario,
                populations: [population] + linkedPopulations,
                seed: seed
            )
            return try MultiVenueRun.run(scenario: scenario, clearings: clearings, path: path, seed: seed).venues[0]
                .contagionReport()
        }
        let clearing = try EngineClearing(scenario: scenario, population: population, seed: seed)
        return try run(scenario: scenario, clearing: clearing, path: path, seed: seed).contagionReport()
    }
}
