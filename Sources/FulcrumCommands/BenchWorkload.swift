import Foundation
import FulcrumIO

/// The standard performance workloads of `fulcrum bench` (issue 7), each the Fulcrum side of a peer comparison.
public enum BenchWorkload: String, CaseIterable, Sendable {
    /// 1,000,000 isolated liquidation prices under Binance BTCUSDT rules (`IsolatedLiquidationBatch`).
    case liqprice
    /// Liquidatable-after-shock check over 100,000 cross accounts of three positions (the maintenance batch).
    case crossCheck = "cross-check"
    /// One 20× long over the year of 1-minute BTCUSDT marks and 1,095 funding payments (`Backtester.run`).
    case backtestYear = "backtest-year"
    /// The cascade loop: N accounts × 1,440 steps of the 2025-10-10 BTCUSDT path with impact feedback (`CascadeRun`).
    case cascade
    /// 10,000 oracle updates over 1,000,000 open positions: liquidatable set per update (`LiquidationIndex`).
    case liquidationIndex = "liq-index"

    /// The workloads a plain `fulcrum bench` runs: the four compared with the peers (`bench/peers/`).
    /// `liq-index` (the service's per-update latency) runs only when named, since it builds a 1,000,000-position
    /// index first.
    public static let standard: [BenchWorkload] = [.liqprice, .crossCheck, .backtestYear, .cascade]

    /// Parses a workload name.
    ///
    /// - Throws: ``BenchError`` naming the value and the valid names.
    public static func named(_ text: String) throws(BenchError) -> BenchWorkload {
        guard let workload = BenchWorkload(rawValue: text) else {
            throw BenchError(
                "--workload \"\(text)\" is not known; valid: \(allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return workload
    }

    /// Runs the workload `settings.runs` times and returns the best measurement.
    ///
    /// - Throws: ``BenchError`` when the data is absent or the engine rejects the generated input.
    public func measure(_ settings: BenchSettings) throws(BenchError) -> BenchMeasurement {
        switch self {
        case .liqprice: try Self.liquidationPrices(settings)
        case .crossCheck: try Self.crossCheck(settings)
        case .backtestYear: try Self.backtestYear(settings)
        case .cascade: try Self.cascade(settings)
        case .liquidationIndex: try Self.liquidationIndex(settings)
        }
    }

    /// Seconds of `duration`.
    static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) * 1e-18
    }

    /// Times `work` `runs` times (at least once) and returns the shortest time and the last result.
    static func best<Result>(
        runs: Int,
        _ work: () throws(BenchError) -> Result
    ) throws(BenchError) -> (seconds: Double, result: Result) {
        let clock = ContinuousClock()
        var shortest = Double.infinity
        var last: Result?
        for _ in 0..<max(1, runs) {
            let start = clock.now
            let result = try work()
            let elapsed = seconds(clock.now - start)
            shortest = min(shortest, elapsed)
            last = result
        }
        guard let last else { throw BenchError("no run was made") }
        return (shortest, last)
    }

    /// A file of the shared data directory, or an error naming the file and how to point at the data.
    static func dataFile(_ relativePath: String, workload: String) throws(BenchError) -> URL {
        guard let url = DataDirectory.file(relativePath) else {
            let root =
                DataDirectory.locate()?.path
                ?? "(no data directory: set FULCRUM_DATA or put shared/data at ../shared/data)"
            throw BenchError("\(workload) needs \(relativePath) under the data directory \(root); it is absent")
        }
        return url
    }
}
