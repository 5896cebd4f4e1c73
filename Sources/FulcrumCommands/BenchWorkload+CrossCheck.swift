import FulcrumCore
public import FulcrumEngine

/// Workload 2: liquidatable-after-shock check over cross accounts.
extension BenchWorkload {
    /// The three markets of the cross accounts, their prices before and after the shock (whole units).
    static let crossMarkets: [(spec: MarketSpec, profile: VenueProfile, before: Int64, after: Int64)] = [
        (MarketCatalog.binanceBTCUSDT, .binance, 100_000, 93_000),  // −7 %
        (MarketCatalog.binanceETHUSDT, .binance, 4_000, 3_640),  // −9 %
        (MarketCatalog.hyperliquidBTC, .hyperliquid, 100_000, 93_000),  // −7 %
    ]

    /// Builds a ``ClearingEngine`` with `accounts` cross accounts (ids 1…accounts; id 0 is the backstop and
    /// counterparty), each holding three positions drawn from `seed` (per account, per market in order: side
    /// `below(2)` (0 = long), size `(1 + below(k)) × 0.001` with k = 100, 2,000, 100; then the wallet is the total
    /// notional ÷ (2 + below(15))), then moves every price by the shock.
    ///
    /// - Throws: ``BenchError`` when the engine rejects an event (it names the event).
    public static func crossEngine(accounts: Int, seed: UInt64) throws(BenchError) -> ClearingEngine {
        guard accounts > 0 else { throw BenchError("--accounts \(accounts) must be positive") }
        var setup = BenchEngineSetup(workload: "cross-check")
        var random = SplitMixRandom(seed: seed)
        let unit = FixedPointScale.factor
        let limits = [100, 2_000, 100]
        try setup.listCrossMarkets()
        for account in 1...accounts {
            let id = AccountID(UInt32(account))
            var trades: [TradeEvent] = []
            var notional: Int64 = 0
            for (index, market) in crossMarkets.enumerated() {
                let isLong = random.below(2) == 0
                let steps = Int64(1 + random.below(limits[index]))
                // steps ≤ 2,000 and price ≤ 10⁵: the notional is at most 2·10⁵ units (2·10¹³ raw).
                notional += steps * market.before * unit / 1_000
                trades.append(
                    TradeEvent(
                        market: MarketID(UInt32(index)),
                        buyer: isLong ? id : AccountID(0),
                        seller: isLong ? AccountID(0) : id,
                        size: Quantity(raw: steps * 100_000),
                        price: Price(raw: market.before * unit)
                    )
                )
            }
            let leverage = Int64(2 + random.below(15))
            try setup.send(.deposit(account: id, amount: Money(raw: notional / leverage)))  // floor: a thinner wallet
            for trade in trades { try setup.send(.trade(trade)) }
        }
        for (index, market) in crossMarkets.enumerated() {
            let id = MarketID(UInt32(index))
            try setup.send(.indexPrice(market: id, price: Price(raw: market.after * unit)))
            try setup.send(.markPrice(market: id, price: Price(raw: market.after * unit)))
        }
        return setup.engine
    }

    /// Checks every cross account of the shocked engine: equity `<` maintenance at the trigger prices, with the batch
    /// ``ClearingEngine/maintenanceShortfalls(accounts:using:into:)`` (per-market constants hoisted, maintenance only).
    static func crossCheck(_ settings: BenchSettings) throws(BenchError) -> BenchMeasurement {
        let engine = try crossEngine(accounts: settings.crossAccounts, seed: settings.seed)
        let count = settings.crossAccounts
        let batch = MaintenanceBatch(engine: engine)  // per-market constants, prepared once per set of prices
        // One result buffer per thread, allocated before timing and reused by every run.
        let results = BenchParallel.ranges(count: count, threads: settings.threads).map { range in
            BenchParallel.Box([Bool](repeating: false, count: range.count))
        }
        // Workers started before timing and kept running across the timed runs (see BenchParallel.Team).
        let team = BenchParallel.Team(threads: settings.threads)
        defer { team.stop() }
        let (seconds, liquidatable) = try best(runs: settings.runs) { () throws(BenchError) -> Int in
            // Each thread checks a contiguous range of accounts (ids 1…count) on the shared (read-only) engine.
            let parts = BenchParallel.map(
                team: team,
                count: count,
                initial: Result<Int, EngineError>.success(0)
            ) { part, range in
                let shortfalls = results[part]
                do throws(EngineError) {
                    let accounts = (range.lowerBound + 1)..<(range.upperBound + 1)
                    return .success(
                        try engine.maintenanceShortfalls(accounts: accounts, using: batch, into: &shortfalls.value)
                    )
                } catch {
                    return .failure(error)
                }
            }
            var total = 0
            for part in parts {
                switch part {
                case .success(let value): total += value
                case .failure(let error): throw BenchError("cross-check: \(error)")
                }
            }
            return total
        }
        // Per account: its balance (8 bytes) and one Position per market.
        let bytes = 8 + crossMarkets.count * MemoryLayout<Position>.stride
        return BenchMeasurement(
            name: BenchWorkload.crossCheck.rawValue,
            items: count,
            seconds: seconds,
            bytesPerItem: bytes,
            detail: "\(liquidatable) of \(count) accounts liquidatable after the shock"
        )
    }
}
