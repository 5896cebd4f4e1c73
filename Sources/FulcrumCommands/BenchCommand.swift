public import ArgumentParser
import Foundation
import FulcrumCore

/// `fulcrum bench`: run the standard performance workloads and print items/s, ns/item and bytes/account.
///
/// Thin: parses the options, runs ``BenchWorkload/measure(_:)`` for each selected workload and prints one table, or
/// with `--json` the object `{"workloads": [{"name", "items", "seconds", "itemsPerSecond", …}]}` the peers' driver
/// (`bench/peers/run.sh`) reads. `seconds` is measured inside the process around the work itself (best of
/// `--runs`), as the peers' scripts do.
public struct BenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run the performance workloads (liqprice, cross-check, backtest-year, cascade; liq-index if named).",
        discussion: """
            liqprice: 1,000,000 isolated liquidation prices, Binance BTCUSDT rules, random positions (seed). \
            cross-check: 100,000 cross accounts × 3 positions checked for liquidation after a price shock. \
            backtest-year: one 20x BTCUSDT long over 525,605 one-minute marks and 1,095 funding payments (needs \
            the shared data: FULCRUM_DATA or ../shared/data). cascade: N accounts × 1,440 steps replaying \
            2025-10-10 with impact feedback (needs the shared data). liq-index: --positions open positions (default \
            1,000,000), 10,000 oracle updates, p50/p99 latency of the liquidatable set with the incremental index. \
            Build with -c release for real numbers.
            """
    )

    @Option(
        name: .customLong("workload"),
        help: "Run only this workload (repeatable; default: the four standard ones)."
    )
    public var workloads: [String] = []

    @Flag(help: "Print one JSON object.")
    public var json = false

    @Option(help: "Isolated positions for liqprice, open positions for liq-index (default 1,000,000).")
    public var positions: Int = 1_000_000

    @Option(help: "Cross accounts for cross-check (default 100,000).")
    public var accounts: Int = 100_000

    @Option(name: .customLong("cascade-accounts"), help: "Accounts for cascade (default 100,000).")
    public var cascadeAccounts: Int = 100_000

    @Option(help: "Timed runs per workload; the shortest is reported (default 3).")
    public var runs: Int = 3

    @Option(help: "Seed of the random inputs (default 42, as the peers' scripts).")
    public var seed: UInt64 = 42

    @Option(
        help:
            "Threads for liqprice and cross-check, at most 256 (default 1: the one-core numbers; results are identical)."
    )
    public var threads: Int = 1

    /// The largest `--threads`.
    static let maxThreads = 256

    public init() {}

    public func run() throws {
        LargeBufferPolicy.mapPerBuffer.apply()
        print(try output(), terminator: "")
    }

    /// The selected workloads after validation.
    ///
    /// - Throws: `ValidationError` naming an unknown workload or a non-positive size.
    public func selected() throws -> [BenchWorkload] {
        for (option, value) in [
            ("--positions", positions), ("--accounts", accounts), ("--cascade-accounts", cascadeAccounts),
            ("--runs", runs), ("--threads", threads),
        ] where value <= 0 {
            throw ValidationError("\(option) \(value) must be positive")
        }
        // One spinning worker per thread while a workload is timed (BenchParallel.Team): a bound keeps a typo from
        // starting millions of threads.
        guard threads <= Self.maxThreads else {
            throw ValidationError("--threads \(threads) must be at most \(Self.maxThreads)")
        }
        do {
            return try workloads.isEmpty ? BenchWorkload.standard : workloads.map(BenchWorkload.named)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Runs the selected workloads and returns the table or the JSON text.
    ///
    /// - Throws: `ValidationError` naming the workload and the cause (unknown name, absent data).
    public func output() throws -> String {
        let chosen = try selected()
        let settings = BenchSettings(
            positions: positions,
            crossAccounts: accounts,
            cascadeAccounts: cascadeAccounts,
            runs: runs,
            seed: seed,
            threads: threads
        )
        var measurements: [BenchMeasurement] = []
        for workload in chosen {
            do {
                measurements.append(try workload.measure(settings))
            } catch {
                throw ValidationError(error.message)
            }
        }
        return json ? Self.json(measurements) : Self.table(measurements)
    }

    /// The JSON object `{"workloads": [...]}` (one line per workload, fixed key order).
    public static func json(_ measurements: [BenchMeasurement]) -> String {
        let rows = measurements.map { m in
            "    {\"name\": \"\(m.name)\", \"items\": \(m.items), \"seconds\": \(m.seconds), "
                + "\"itemsPerSecond\": \(m.itemsPerSecond), \"nsPerItem\": \(m.nanosecondsPerItem), "
                + "\"bytesPerItem\": \(m.bytesPerItem), \"detail\": \(JSONText.quoted(m.detail))}"
        }
        return "{\"workloads\": [\n" + rows.joined(separator: ",\n") + "\n]}\n"
    }

    /// The table: workload, items, seconds, items/s, ns/item, bytes/item, detail.
    public static func table(_ measurements: [BenchMeasurement]) -> String {
        let header = ["workload", "items", "seconds", "items/s", "ns/item", "bytes/item", "result"]
        var rows = [header]
        for m in measurements {
            rows.append([
                m.name, "\(m.items)", String(format: "%.6f", m.seconds), String(format: "%.4g", m.itemsPerSecond),
                String(format: "%.3f", m.nanosecondsPerItem), "\(m.bytesPerItem)", m.detail,
            ])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
