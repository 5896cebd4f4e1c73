import FulcrumCore
import FulcrumIO
public import FulcrumLab

/// Workload 4: the cascade loop on the 2025-10-10 path.
extension BenchWorkload {
    /// The 4-day 1-minute slice around the 2025-10-10 crash (2025-10-09 00:00 … 2025-10-12 23:59 UTC).
    static let crashSlice =
        "binance-btcusdt-perp-1m-klp61/btcusdt_1m_mark_index_mid_spot_2025-10-09_2025-10-12_crash.csv"

    /// The built-in scenario (book liquidity, three-source oracle, agents, feedback on) replaying the 1,440
    /// one-minute marks of 2025-10-10 with `accounts` accounts whose entries come from the day before.
    ///
    /// - Throws: ``BenchError`` when the slice is absent or shorter than three days.
    public static func crashScenario(accounts: Int) throws(BenchError) -> Scenario {
        let name = BenchWorkload.cascade.rawValue
        let url = try dataFile(crashSlice, workload: name)
        let marks: [Int64]
        do {
            marks = try MarketDataCSV.readColumns(url, timestampColumn: "timestamp_ms", columns: ["perp_mark"]).values[
                0
            ]
        } catch {
            throw BenchError("\(name): reading \(crashSlice): \(error)")
        }
        let dayStart = 1_440  // 2025-10-10 00:00 is the second day of the slice
        guard marks.count > dayStart + 1_440 else {
            throw BenchError("\(name): \(crashSlice) has \(marks.count) rows; at least \(dayStart + 1_441) are needed")
        }
        do {
            var scenario = try Scenario.builtIn()
            let tick = scenario.market.tickSize.raw
            // Start and entry prices on the market's tick, rounded down (reference prices only: nobody pays them).
            let ticked = { (raw: Int64) in Price(raw: raw / tick * tick) }
            scenario.name = "bench: 2025-10-10 BTCUSDT replay"
            scenario.startPrice = ticked(marks[dayStart])
            scenario.steps = 1_440
            scenario.priceModel = .replay(prices: marks[dayStart...(dayStart + 1_440)].map { Double($0) / 1e8 })
            scenario.entryHistory = (0...dayStart).map { ticked(marks[dayStart - $0]) }
            scenario.population.count = accounts
            try scenario.validate()
            return scenario
        } catch {
            throw BenchError("\(name): \(error)")
        }
    }

    /// One path of ``CascadeRun`` (population generation not timed; the engine's setup is); items are account-steps.
    static func cascade(_ settings: BenchSettings) throws(BenchError) -> BenchMeasurement {
        let name = BenchWorkload.cascade.rawValue
        let scenario = try crashScenario(accounts: settings.cascadeAccounts)
        let population: AccountBook
        do {
            population = try MonteCarloRunner.population(scenario: scenario, seed: settings.seed, threads: 1)
        } catch {
            throw BenchError("\(name): \(error)")
        }
        let (seconds, metrics) = try best(runs: settings.runs) { () throws(BenchError) -> PathMetrics in
            do {
                return try CascadeRun.run(scenario: scenario, population: population, path: 0, seed: settings.seed)
                    .metrics
            } catch {
                throw BenchError("\(name): \(error)")
            }
        }
        // Per account of the run's own state: the lab's size, margin, liquidation price (8 bytes each) and flags (1)
        // (its entries stay shared with the population), its frontier entry (16) and queue flag (1), and the
        // engine's wallet (8), 48-byte position and open-position count (4). The population (33) is shared.
        return BenchMeasurement(
            name: name,
            items: settings.cascadeAccounts * scenario.steps,
            seconds: seconds,
            bytesPerItem: 102,
            detail:
                "\(settings.cascadeAccounts) accounts × \(scenario.steps) steps; \(metrics.liquidations) liquidations, "
                + "move \(metrics.exogenousMove) exogenous, \(metrics.totalMove) with feedback"
        )
    }
}
