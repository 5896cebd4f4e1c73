public import ArgumentParser
import Foundation
public import FulcrumAnalytics
import FulcrumCore
import FulcrumIO

/// `fulcrum margin-model`: backtest static against volatility-sensitive margin on one population.
public struct MarginModelCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "margin-model",
        abstract: "Backtest static against volatility-sensitive (EWMA, GARCH) margin on one population.",
        discussion: """
            Requirement (initial-margin rate): static = --static-rate; dynamic = max(--floor, k·σ_t·√h) with \
            σ_t the EWMA (--half-life samples) or GARCH(1,1) volatility (GARCH calibrated on the same file by \
            grid maximum likelihood unless --garch-alpha/--garch-beta are given), plus a --buffer in calm times \
            that is released when σ_t exceeds --stress-multiple × its 30-day average, and a cap of \
            --max-daily-rise on how fast the requirement may rise. Maintenance = --maintenance-fraction × \
            requirement.

            Population: every day a cohort opens a long and a short of --notional USDT at each of --leverages \
            (capped by the requirement), held one day or until liquidated, never topped up. The whole file is \
            used; the crash window (--crash-start, 1 day; default 2025-10-10 00:00 UTC) only adds a \
            procyclicality measure. For each measure the report names the model that wins (lowest value).
            """
    )

    @Option(help: "Price CSV or CSV.gz with a Unix-ms timestamp column.")
    public var data: String

    @Option(help: "Model: static, ewma, garch, or all (default all; a single dynamic model is compared with static).")
    public var model: String = "all"

    @Option(name: .customLong("price-column"), help: "Price column (default perp_mark).")
    public var priceColumn: String = "perp_mark"

    @Option(name: .customLong("static-rate"), help: "Static initial-margin rate (default 0.05).")
    public var staticRate: String = "0.05"

    @Option(help: "Floor of the dynamic rate (default 0.02).")
    public var floor: String = "0.02"

    @Option(help: "Confidence multiplier k (default 2.326, one-sided 99 %).")
    public var k: String = "2.326"

    @Option(help: "Margin period of risk (default 24h; units m, h, d).")
    public var horizon: String = "24h"

    @Option(name: .customLong("half-life"), help: "EWMA half-life in samples (default 1440).")
    public var halfLife: String = "1440"

    @Option(help: "Calm-time buffer (default 0.25).")
    public var buffer: String = "0.25"

    @Option(name: .customLong("stress-multiple"), help: "Stress when σ exceeds this × its 30-day EWMA (default 1.5).")
    public var stressMultiple: String = "1.5"

    @Option(
        name: .customLong("max-daily-rise"),
        help: "Largest rise of the requirement per day (default 1.0 = +100 %)."
    )
    public var maxDailyRise: String = "1.0"

    @Option(name: .customLong("maintenance-fraction"), help: "Maintenance ÷ requirement (default 0.5).")
    public var maintenanceFraction: String = "0.5"

    @Option(name: .customLong("garch-alpha"), help: "GARCH α (default: calibrated).")
    public var garchAlpha: String?

    @Option(name: .customLong("garch-beta"), help: "GARCH β (default: calibrated).")
    public var garchBeta: String?

    @Option(help: "Comma-separated target leverages (default 2,3,5,10,20,50,100).")
    public var leverages: String = "2,3,5,10,20,50,100"

    @Option(help: "Entry notional per account in USDT (default 100000).")
    public var notional: String = "100000"

    @Option(name: .customLong("crash-start"), help: "Crash window start, Unix ms (default 1760054400000 = 2025-10-10).")
    public var crashStart: Int64 = 1_760_054_400_000

    @OptionGroup public var format: AnalyticsOutputOptions

    public init() {}

    public func run() throws {
        print(try output(), terminator: "")
    }

    static let measures: [(String, @Sendable (MarginModelOutcome) -> Double)] = [
        ("liquidations", { Double($0.liquidations) }),
        ("marginCallLiquidations", { Double($0.marginCallLiquidations) }),
        ("badDebt", { Double($0.badDebt.raw) }),
        ("averageMarginRate", { $0.averageMarginRate }),
        ("maxDailyRise", { $0.maxDailyRise }),
        ("crashWindowRise", { $0.crashWindowRise }),
    ]

    /// The command's output for the parsed options.
    public func output() throws -> String {
        let clock = ContinuousClock()
        let start = clock.now
        let outcomes = try evaluate()
        let (seconds, attoseconds) = (clock.now - start).components
        let elapsed = Double(seconds) + Double(attoseconds) * 1e-18
        var winners: [(String, String)] = []
        for (name, value) in Self.measures {
            let best = outcomes.map(value).min() ?? 0
            winners.append((name, outcomes.filter { value($0) == best }.map(\.kind.rawValue).joined(separator: "+")))
        }
        if let report = format.report {
            try ReportFile.write(html(outcomes, winners), toReportPath: report)
        }
        let header = [
            "model", "accounts", "liquidations", "margin_call_liquidations", "bad_debt", "average_margin_rate",
            "average_requirement", "max_daily_rise", "crash_window_rise",
        ]
        let rows = outcomes.map(Self.row)
        if format.csv { return ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n" }
        if format.json {
            var o = AnalyticsJSON()
            o.set("data", .string(data))
            o.set("models", .array(outcomes.map { .object(Self.json($0)) }))
            var w = AnalyticsJSON()
            for (measure, model) in winners { w.set(measure, .string(model)) }
            o.set("winners", .object(w))
            o.set("seconds", .double(elapsed))
            return o.render() + "\n"
        }
        let widths = header.indices.map { i in max(header[i].count, rows.map { $0[i].count }.max() ?? 0) }
        var text = ""
        for line in [header] + rows {
            text +=
                line.indices.map { line[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ") + "\n"
        }
        text += "winners (lowest): " + winners.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + "\n"
        return text
    }

    /// Parses, reads and runs the models.
    public func evaluate() throws -> [MarginModelOutcome] {
        do {
            let kinds: [MarginModelKind]
            switch model {
            case "all": kinds = MarginModelKind.allCases
            case "static": kinds = [.static]
            case "ewma": kinds = [.static, .ewma]
            case "garch": kinds = [.static, .garch]
            default: throw AnalyticsInputError("--model \"\(model)\" must be static, ewma, garch or all")
            }
            var levs: [Leverage] = []
            for part in leverages.split(separator: ",") {
                let lev: Leverage = try AnalyticsOptions.decimal(String(part), option: "--leverages")
                guard lev.isPositive else { throw AnalyticsInputError("--leverages \"\(leverages)\" must be positive") }
                levs.append(lev)
            }
            guard !levs.isEmpty else { throw AnalyticsInputError("--leverages \"\(leverages)\" is empty") }
            let size: Money = try AnalyticsOptions.decimal(notional, option: "--notional")
            guard size.isPositive else { throw AnalyticsInputError("--notional \"\(notional)\" must be positive") }
            let series: PriceSeries
            do {
                series = try MarketDataCSV.readPrices(URL(fileURLWithPath: data), column: priceColumn)
            } catch {
                throw AnalyticsInputError("--data \"\(data)\": \(error)")
            }
            var parameters = MarginModelParameters(
                kind: .static,
                staticRate: try AnalyticsOptions.double(staticRate, option: "--static-rate"),
                floor: try AnalyticsOptions.double(floor, option: "--floor"),
                k: try AnalyticsOptions.double(k, option: "--k"),
                horizonYears: try AnalyticsOptions.hours(horizon, option: "--horizon") / 8_760,
                halfLifeSamples: try AnalyticsOptions.double(halfLife, option: "--half-life"),
                buffer: try AnalyticsOptions.double(buffer, option: "--buffer"),
                stressMultiple: try AnalyticsOptions.double(stressMultiple, option: "--stress-multiple"),
                maxDailyRise: try AnalyticsOptions.double(maxDailyRise, option: "--max-daily-rise"),
                maintenanceFraction: try AnalyticsOptions.double(maintenanceFraction, option: "--maintenance-fraction")
            )
            if kinds.contains(.garch) {
                if let garchAlpha, let garchBeta {
                    parameters.garchAlpha = try AnalyticsOptions.double(garchAlpha, option: "--garch-alpha")
                    parameters.garchBeta = try AnalyticsOptions.double(garchBeta, option: "--garch-beta")
                } else {
                    let stepMs =
                        Double(series.timestamps[series.count - 1] - series.timestamps[0]) / Double(series.count - 1)
                    let c = try VolatilityCalibration(
                        logReturns: series.logReturns(),
                        stepYears: stepMs / 31_536_000_000
                    )
                    parameters.garchAlpha = c.garchAlpha
                    parameters.garchBeta = c.garchBeta
                    parameters.garchOmega = c.garchOmega
                }
            }
            let population = MarginPopulation(leverages: levs, notional: size)
            let window = crashStart..<(crashStart + 86_400_000)
            return try kinds.map { kind throws(AnalyticsError) in
                var p = parameters
                p.kind = kind
                return try MarginModelBacktest.run(
                    series: series,
                    parameters: p,
                    population: population,
                    crashWindow: window
                )
            }
        } catch let error as AnalyticsInputError {
            throw ValidationError(error.message)
        } catch let error as AnalyticsError {
            throw ValidationError(error.message)
        }
    }

    static func fixed(_ x: Double) -> String { "\((x * 1_000_000).rounded() / 1_000_000)" }

    static func row(_ o: MarginModelOutcome) -> [String] {
        [
            o.kind.rawValue, "\(o.accounts)", "\(o.liquidations)", "\(o.marginCallLiquidations)", o.badDebt.description,
            fixed(o.averageMarginRate), fixed(o.averageRequirement), fixed(o.maxDailyRise), fixed(o.crashWindowRise),
        ]
    }

    static func json(_ o: MarginModelOutcome) -> AnalyticsJSON {
        var j = AnalyticsJSON()
        j.set("model", .string(o.kind.rawValue))
        j.set("accounts", .int(o.accounts))
        j.set("liquidations", .int(o.liquidations))
        j.set("marginCallLiquidations", .int(o.marginCallLiquidations))
        j.set("badDebt", .number(o.badDebt.description))
        j.set("averageMarginRate", .double(o.averageMarginRate))
        j.set("averageRequirement", .double(o.averageRequirement))
        j.set("maxDailyRise", .double(o.maxDailyRise))
        j.set("crashWindowRise", .double(o.crashWindowRise))
        return j
    }

    func html(_ outcomes: [MarginModelOutcome], _ winners: [(String, String)]) -> String {
        let colors = ["#26a", "#c33", "#2a7"]
        let t0 = outcomes.first?.requirementCurve.first?.timestamp ?? 0
        let series = outcomes.enumerated().map { index, o in
            AnalyticsHTML.Series(
                name: o.kind.rawValue,
                points: o.requirementCurve.map { (Double($0.timestamp - t0) / 86_400_000, $0.rate) },
                color: colors[index % colors.count]
            )
        }
        let header = [
            "model", "accounts", "liquidations", "margin-call liq.", "bad debt", "avg margin rate", "avg requirement",
            "max daily rise", "crash-window rise",
        ]
        return AnalyticsHTML.page(
            title: "fulcrum margin-model",
            summary: [("data", data)] + winners.map { ("winner: \($0.0) (lowest)", $0.1) },
            sections: [
                ("Models", AnalyticsHTML.table(header: header, rows: outcomes.map(Self.row))),
                (
                    "Requirement over time",
                    AnalyticsHTML.lineChart(series, xLabel: "days", yLabel: "initial-margin rate")
                ),
            ]
        )
    }
}
