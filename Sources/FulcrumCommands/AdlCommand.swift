public import ArgumentParser
import Foundation
public import FulcrumAnalytics
import FulcrumCore
public import FulcrumIO

/// `fulcrum adl`: allocate a shortfall across winning positions under several ADL policies and compare them.
public struct AdlCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "adl",
        abstract:
            "Allocate a shortfall across winning positions (ranked queues, pro-rata, leverage-first) and compare.",
        discussion: """
            Policies: ranked (both venue queues: BitMEX/Bybit PnL% × effective leverage, Binance PnL% × margin \
            ratio), pro-rata (on positive PnL, largest-remainder rounding), leverage-first (water-filling: every \
            account above a common leverage level is brought down to it), or all. Every policy conserves the \
            shortfall exactly: Σ haircuts + uncovered = shortfall, to 10⁻⁸.

            --positions: the generic CSV id,pnl,notional,margin[,maintenance] (USD), or the Hyperliquid \
            2025-10-10 reconstruction (positions_FINAL_*.csv; --asset selects BTC or SOL; the winning side is \
            the one opposite the most liquidations unless --side is given). That file has no margin or leverage, \
            so margin = notional ÷ --assumed-leverage; see docs/VALIDATION.md (Risk analytics).

            Measures: haircut total, accounts hit, leverage of those hit (haircut-weighted mean, median, max), \
            notional closed to realise the haircuts and its ratio to the shortfall (over-deleveraging), the \
            largest single haircut's share, and the highest leverage left afterwards.
            """
    )

    @Option(help: "Positions CSV (generic or Hyperliquid layout).")
    public var positions: String

    @Option(help: "Shortfall to allocate, in USD (exact decimal).")
    public var shortfall: String

    @Option(help: "Policy: ranked, pro-rata, leverage-first or all.")
    public var policy: String = "all"

    @Option(help: "Hyperliquid layout: asset to use (default BTC).")
    public var asset: String = "BTC"

    @Option(help: "Hyperliquid layout: winning side (default: opposite the side with more liquidations).")
    public var side: String?

    @Option(name: .customLong("assumed-leverage"), help: "Hyperliquid layout: leverage to derive margin (default 10).")
    public var assumedLeverage: String = "10"

    @Option(help: "Venue whose tier table gives maintenance margin (default hyperliquid).")
    public var venue: String = "hyperliquid"

    @OptionGroup public var format: AnalyticsOutputOptions

    public init() {}

    public func run() throws {
        print(try output(), terminator: "")
    }

    /// The command's output for the parsed options.
    public func output() throws -> String {
        let (loaded, allocations) = try evaluate()
        if let report = format.report {
            try ReportFile.write(html(loaded, allocations), toReportPath: report)
        }
        if format.json {
            var o = AnalyticsJSON()
            o.set("positions", .string(positions))
            o.set("candidates", .int(loaded.candidates.count))
            o.set("capacity", .number(Self.capacity(loaded).description))
            o.set("shortfall", .number(shortfall))
            if let winner = loaded.winningSide { o.set("winningSide", .string(winner.rawValue)) }
            var sources = AnalyticsJSON()
            sources.set("fromSize", .int(loaded.notionalFromSize))
            sources.set("fromPnlPercent", .int(loaded.notionalFromPnlPercent))
            sources.set("imputed", .int(loaded.notionalImputed))
            o.set("notionalSources", .object(sources))
            o.set("policies", .array(allocations.map { .object(Self.json($0)) }))
            return o.render() + "\n"
        }
        let header = [
            "policy", "covered", "uncovered", "accounts_hit", "mean_leverage_hit", "median_leverage_hit",
            "max_leverage_hit", "deleveraged_notional", "notional_per_shortfall", "largest_share", "max_leverage_after",
        ]
        let rows = allocations.map(Self.row)
        if format.csv { return ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n" }
        var text = "\(loaded.candidates.count) winners, capacity \(Self.capacity(loaded)), shortfall \(shortfall)\n"
        let widths = header.indices.map { i in max(header[i].count, rows.map { $0[i].count }.max() ?? 0) }
        for line in [header] + rows {
            text +=
                line.indices.map { line[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ") + "\n"
        }
        return text
    }

    /// Loads the candidates and runs the chosen policies.
    public func evaluate() throws -> (AnalyticsPositionsCSV.Loaded, [AdlAllocation]) {
        do {
            let policies: [AdlPolicy]
            switch policy {
            case "ranked": policies = [.rankedPnlLeverage, .rankedPnlMarginRatio]
            case "pro-rata": policies = [.proRata]
            case "leverage-first": policies = [.leverageFirst]
            case "all": policies = AdlPolicy.allCases
            default:
                guard let one = AdlPolicy(rawValue: policy) else {
                    throw AnalyticsInputError("--policy \"\(policy)\" must be ranked, pro-rata, leverage-first or all")
                }
                policies = [one]
            }
            let amount: Money = try AnalyticsOptions.decimal(shortfall, option: "--shortfall")
            guard !amount.isNegative else {
                throw AnalyticsInputError("--shortfall \"\(shortfall)\" must not be negative")
            }
            let lev: Leverage = try AnalyticsOptions.decimal(assumedLeverage, option: "--assumed-leverage")
            guard lev.isPositive else {
                throw AnalyticsInputError("--assumed-leverage \"\(assumedLeverage)\" must be positive")
            }
            let winner = try side.map { s throws(AnalyticsInputError) in try AnalyticsOptions.side(s) }
            let profile = try AnalyticsOptions.venue(venue)
            let spec = try AnalyticsOptions.market(asset, venue: profile)
            let loaded: AnalyticsPositionsCSV.Loaded
            do {
                loaded = try AnalyticsPositionsCSV.load(
                    URL(fileURLWithPath: positions),
                    asset: asset,
                    side: winner,
                    assumedLeverage: lev,
                    market: spec
                )
            } catch {
                throw AnalyticsInputError("--positions \"\(positions)\": \(error)")
            }
            let allocations = try policies.map { p throws(AnalyticsError) in
                try AdlAllocator.allocate(loaded.candidates, shortfall: amount, policy: p)
            }
            return (loaded, allocations)
        } catch let error as AnalyticsInputError {
            throw ValidationError(error.message)
        } catch let error as AnalyticsError {
            throw ValidationError(error.message)
        }
    }

    static func capacity(_ loaded: AnalyticsPositionsCSV.Loaded) -> MoneySum {
        var sum = MoneySum()
        for c in loaded.candidates { sum += c.pnl }
        return sum
    }

    static func row(_ a: AdlAllocation) -> [String] {
        [
            a.policy.rawValue, a.covered.description, a.uncovered.description, "\(a.accountsHit)",
            fixed(a.meanLeverageHit), fixed(a.medianLeverageHit), fixed(a.maxLeverageHit),
            a.deleveragedNotional.description, fixed(a.notionalPerShortfall), fixed(a.largestShare),
            fixed(a.maxLeverageAfter),
        ]
    }

    static func fixed(_ x: Double) -> String { "\((x * 10_000).rounded() / 10_000)" }

    static func json(_ a: AdlAllocation) -> AnalyticsJSON {
        var o = AnalyticsJSON()
        o.set("policy", .string(a.policy.rawValue))
        o.set("covered", .number(a.covered.description))
        o.set("uncovered", .number(a.uncovered.description))
        o.set("accountsHit", .int(a.accountsHit))
        o.set("meanLeverageHit", .double(a.meanLeverageHit))
        o.set("medianLeverageHit", .double(a.medianLeverageHit))
        o.set("maxLeverageHit", .double(a.maxLeverageHit))
        o.set("deleveragedNotional", .number(a.deleveragedNotional.description))
        o.set("notionalPerShortfall", .double(a.notionalPerShortfall))
        o.set("largestShare", .double(a.largestShare))
        o.set("maxLeverageAfter", .double(a.maxLeverageAfter))
        return o
    }

    func html(_ loaded: AnalyticsPositionsCSV.Loaded, _ allocations: [AdlAllocation]) -> String {
        let header = [
            "policy", "covered", "uncovered", "accounts hit", "mean lev. hit", "median lev. hit", "max lev. hit",
            "notional closed", "notional / shortfall", "largest share", "max lev. after",
        ]
        // Cumulative share of the shortfall against accounts hit (largest haircuts first): concentration.
        let colors = ["#26a", "#c33", "#2a7", "#a62"]
        let series = allocations.enumerated().map { index, a in
            let sorted = a.haircuts.filter(\.isPositive).map { Double($0.raw) }.sorted(by: >)
            var running = 0.0
            let total = max(1, Double(a.covered.raw))
            var points: [(x: Double, y: Double)] = [(0, 0)]
            for (k, h) in sorted.enumerated() {
                running += h
                points.append((Double(k + 1), running / total))
            }
            return AnalyticsHTML.Series(name: a.policy.rawValue, points: points, color: colors[index % colors.count])
        }
        return AnalyticsHTML.page(
            title: "fulcrum adl",
            summary: [
                ("positions", positions),
                ("winners", "\(loaded.candidates.count) (\(loaded.winningSide?.rawValue ?? "generic file"))"),
                ("capacity (Σ positive PnL)", Self.capacity(loaded).description),
                ("shortfall", shortfall),
                (
                    "notional sources",
                    "\(loaded.notionalFromSize) size×mark, \(loaded.notionalFromPnlPercent) PnL÷PnL%, "
                        + "\(loaded.notionalImputed) imputed"
                ),
            ],
            sections: [
                ("Policies", AnalyticsHTML.table(header: header, rows: allocations.map(Self.row))),
                (
                    "Concentration: cumulative share of the shortfall by accounts hit",
                    AnalyticsHTML.lineChart(series, xLabel: "accounts hit (largest haircut first)", yLabel: "share")
                ),
            ]
        )
    }
}
