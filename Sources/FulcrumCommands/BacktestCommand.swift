public import ArgumentParser
import Foundation
public import FulcrumAnalytics
import FulcrumCore
import FulcrumIO

/// `fulcrum backtest`: Backtest leveraged perpetual strategies with exact margin, funding, fees and liquidation.
///
/// Thin: parses the options, reads the files with ``MarketDataCSV``, runs ``Backtester/run(config:perp:spot:funding:)``
/// and prints the result (``report()`` returns the text so tests run it in-process).
public struct BacktestCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest leveraged perpetual strategies with exact margin, funding, fees and liquidation.",
        discussion: """
            Strategies: hold (one perp position), funding-harvest (spot long + isolated perp short), basis (spot \
            long + perp short in one unified account), vol-target (perp resized daily to a target volatility).

            --prices: CSV or CSV.gz with a Unix-ms timestamp column (timestamp_ms) and a price column \
            (--price-column, default perp_mark: the Binance mark price, which prices margin, PnL and funding). \
            --funding: timestamp + rate per payment (Binance funding_time_ms,funding_rate or the multi-venue \
            settlement_time_ms,rate_raw layout with --symbol). Each payment settles at the latest price sample at \
            or before its (jittered) timestamp; none is dropped (counts are in the output).

            Liquidation: when the margin pool falls below the venue's maintenance margin at a sample, the perp is \
            closed at that price, the venue's liquidation fee is charged from what is left, and any loss beyond \
            the equity is reported as bad debt. Amounts are USDT; every money figure is exact (8 decimals).
            """
    )

    @Option(help: "Strategy: hold, funding-harvest, basis or vol-target.")
    public var strategy: String = "hold"

    @Option(help: "Price file (CSV or CSV.gz).")
    public var prices: String

    @Option(help: "Funding file (CSV).")
    public var funding: String

    @Option(name: .customLong("price-column"), help: "Perp price column (default perp_mark).")
    public var priceColumn: String = "perp_mark"

    @Option(
        name: .customLong("spot-column"),
        help: "Spot price column for funding-harvest and basis (default spot_mid)."
    )
    public var spotColumn: String = "spot_mid"

    @Option(name: .customLong("timestamp-column"), help: "Unix-millisecond timestamp column (default timestamp_ms).")
    public var timestampColumn: String = "timestamp_ms"

    @Option(help: "Symbol to select in a multi-venue funding file (venue_symbol column, e.g. BTCUSDT).")
    public var symbol: String?

    @Option(help: "Venue whose margin rules apply (default binance).")
    public var venue: String = "binance"

    @Option(help: "Market symbol or asset (default BTC).")
    public var market: String = "BTC"

    @Option(help: "Leverage of the perp leg (initial margin = notional ÷ leverage; default 1).")
    public var leverage: String = "1"

    @Option(help: "Starting wallet in USDT (default: exactly what opening needs).")
    public var wallet: String?

    @Option(help: "Perp side: long or short (funding-harvest and basis are short).")
    public var side: String?

    @Option(help: "Perp size in base units (default 1; vol-target: the maximum).")
    public var size: String = "1"

    @Option(help: "Perp taker fee rate (default 0.0005 = 0.05 %).")
    public var fee: String = "0.0005"

    @Option(name: .customLong("spot-fee"), help: "Spot taker fee rate (default 0.001).")
    public var spotFee: String = "0.001"

    @Option(name: .customLong("target-vol"), help: "Vol-target: annualised target volatility (default 0.5 = 50 %).")
    public var targetVol: String = "0.5"

    @OptionGroup public var format: AnalyticsOutputOptions

    public init() {}

    public func run() throws {
        print(try output(), terminator: "")
    }

    /// The command's output text for the parsed options (writes the HTML report when asked).
    ///
    /// - Throws: `ValidationError` naming the option and value for bad input.
    public func output() throws -> String {
        let clock = ContinuousClock()
        let start = clock.now
        let (result, config) = try evaluate()
        let seconds = Self.seconds(clock.now - start)
        if let report = format.report {
            let html = Self.html(result, config: config)
            try ReportFile.write(html, toReportPath: report)
        }
        if format.csv {
            var text = "timestamp_ms,equity,drawdown\n"
            for point in result.curve { text += "\(point.timestamp),\(point.equity),\(point.drawdown)\n" }
            return text
        }
        if format.json { return Self.json(result, config: config, seconds: seconds).render() + "\n" }
        return Self.table(result, config: config, seconds: seconds)
    }

    /// Parses, reads and runs.
    public func evaluate() throws -> (BacktestResult, BacktestConfig) {
        do {
            guard let kind = BacktestStrategy(rawValue: strategy) else {
                throw AnalyticsInputError(
                    "--strategy \"\(strategy)\" must be one of \(BacktestStrategy.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let profile = try AnalyticsOptions.venue(venue)
            let spec = try AnalyticsOptions.market(market, venue: profile)
            let positionSide =
                try side.map { s throws(AnalyticsInputError) in try AnalyticsOptions.side(s) }
                ?? (kind.needsSpot ? .short : .long)
            let lev: Leverage = try AnalyticsOptions.decimal(leverage, option: "--leverage")
            guard lev.isPositive else { throw AnalyticsInputError("--leverage \"\(leverage)\" must be positive") }
            let qty: Quantity = try AnalyticsOptions.decimal(size, option: "--size")
            guard qty.isPositive else { throw AnalyticsInputError("--size \"\(size)\" must be positive") }
            let walletMoney: Money? = try wallet.map { w throws(AnalyticsInputError) in
                try AnalyticsOptions.decimal(w, option: "--wallet")
            }
            let feeRate: Rate = try AnalyticsOptions.decimal(fee, option: "--fee")
            let spotFeeRate: Rate = try AnalyticsOptions.decimal(spotFee, option: "--spot-fee")
            let target = try AnalyticsOptions.double(targetVol, option: "--target-vol")
            guard target > 0 else { throw AnalyticsInputError("--target-vol \"\(targetVol)\" must be positive") }
            let config = BacktestConfig(
                strategy: kind,
                side: positionSide,
                size: qty,
                leverage: lev,
                wallet: walletMoney,
                takerFee: feeRate,
                spotFee: spotFeeRate,
                profile: profile,
                market: spec,
                targetVolatility: target
            )
            let pricesURL = URL(fileURLWithPath: prices)
            let columns = kind.needsSpot ? [priceColumn, spotColumn] : [priceColumn]
            let table: (timestamps: [Int64], values: [[Int64]])
            let fundingSeries: FundingSeries
            do {
                table = try MarketDataCSV.readColumns(pricesURL, timestampColumn: timestampColumn, columns: columns)
            } catch {
                throw AnalyticsInputError("--prices \"\(prices)\": \(error)")
            }
            do {
                fundingSeries = try MarketDataCSV.readFunding(URL(fileURLWithPath: funding), symbol: symbol)
            } catch {
                throw AnalyticsInputError("--funding \"\(funding)\": \(error)")
            }
            let perp: PriceSeries
            var spot: PriceSeries?
            do {
                perp = try PriceSeries(
                    timestamps: table.timestamps,
                    prices: table.values[0].map(Price.init(raw:)),
                    field: priceColumn
                )
                if kind.needsSpot {
                    spot = try PriceSeries(
                        timestamps: table.timestamps,
                        prices: table.values[1].map(Price.init(raw:)),
                        field: spotColumn
                    )
                }
            } catch {
                throw AnalyticsInputError("--prices \"\(prices)\": \(error)")
            }
            return (try Backtester.run(config: config, perp: perp, spot: spot, funding: fundingSeries), config)
        } catch let error as AnalyticsInputError {
            throw ValidationError(error.message)
        } catch let error as AnalyticsError {
            throw ValidationError(error.message)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (s, attoseconds) = duration.components
        return Double(s) + Double(attoseconds) * 1e-18
    }

    static func json(_ r: BacktestResult, config: BacktestConfig, seconds: Double) -> AnalyticsJSON {
        var o = AnalyticsJSON()
        o.set("strategy", .string(config.strategy.rawValue))
        o.set("venue", .string(config.profile.id.rawValue))
        o.set("market", .string(config.market.symbol))
        o.set("side", .string(config.side.rawValue))
        o.set("size", .number(config.size.description))
        o.set("leverage", .number(config.leverage.description))
        o.set("samples", .int(r.samples))
        o.set("initialEquity", .number(r.initialEquity.description))
        o.set("funding", .number(r.funding.description))
        o.set("fees", .number(r.fees.description))
        o.set("pricePnl", .number(r.pricePnl.description))
        o.set("finalEquity", .number(r.finalEquity.description))
        o.set("liquidations", .int(r.liquidations))
        o.set("liquidationTimes", .array(r.liquidationTimes.map { .int(Int($0)) }))
        o.set("badDebt", .number(r.badDebt.description))
        o.set("maxDrawdown", .number(r.maxDrawdown.description))
        o.set("maxDrawdownFraction", .double(r.maxDrawdownFraction))
        o.set("trades", .int(r.trades))
        var f = AnalyticsJSON()
        f.set("settled", .int(r.fundingPricing.settled))
        f.set("exactTimestamp", .int(r.fundingPricing.exact))
        f.set("earlierSample", .int(r.fundingPricing.earlierSample))
        f.set("maxStalenessMs", .int(Int(r.fundingPricing.maxStalenessMs)))
        f.set("beforeFirstSample", .int(r.fundingPricing.beforeFirstSample))
        f.set("afterClose", .int(r.fundingPricing.afterClose))
        o.set("fundingEvents", .object(f))
        o.set("seconds", .double(seconds))
        return o
    }

    static func table(_ r: BacktestResult, config: BacktestConfig, seconds: Double) -> String {
        let rows: [(String, String)] = [
            ("strategy", "\(config.strategy.rawValue) \(config.side.rawValue) \(config.size) @ \(config.leverage)x"),
            ("venue / market", "\(config.profile.id.rawValue) \(config.market.symbol)"),
            ("samples", "\(r.samples)"),
            ("initial equity", "\(r.initialEquity)"),
            ("funding (to account)", "\(r.funding)"),
            ("fees", "\(r.fees)"),
            ("price PnL", "\(r.pricePnl)"),
            ("final equity", "\(r.finalEquity)"),
            ("liquidations", "\(r.liquidations)"),
            ("bad debt", "\(r.badDebt)"),
            ("max drawdown", "\(r.maxDrawdown) (\(percent(r.maxDrawdownFraction)))"),
            ("trades", "\(r.trades)"),
            (
                "funding payments",
                "\(r.fundingPricing.settled) settled (\(r.fundingPricing.exact) at an exact sample, "
                    + "\(r.fundingPricing.earlierSample) at the latest earlier one, max \(r.fundingPricing.maxStalenessMs) ms), "
                    + "\(r.fundingPricing.beforeFirstSample) before the data, \(r.fundingPricing.afterClose) after close"
            ),
            ("seconds", "\(seconds)"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n") + "\n"
    }

    static func percent(_ x: Double) -> String { "\((x * 10_000).rounded() / 100) %" }

    static func html(_ r: BacktestResult, config: BacktestConfig) -> String {
        let days = { (t: Int64) in Double(t - (r.curve.first?.timestamp ?? 0)) / 86_400_000 }
        let equity = AnalyticsHTML.Series(
            name: "equity (USDT)",
            points: r.curve.map { (days($0.timestamp), Double($0.equity.raw) / 1e8) },
            color: "#26a"
        )
        let drawdown = AnalyticsHTML.Series(
            name: "drawdown (USDT)",
            points: r.curve.map { (days($0.timestamp), -Double($0.drawdown.raw) / 1e8) },
            color: "#c33"
        )
        return AnalyticsHTML.page(
            title: "fulcrum backtest: \(config.strategy.rawValue)",
            summary: table(r, config: config, seconds: 0).split(separator: "\n").map { line in
                let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
                return (
                    String(parts.first ?? ""),
                    String(parts.count > 1 ? parts[1] : "").trimmingCharacters(in: .whitespaces)
                )
            },
            sections: [
                ("Equity", AnalyticsHTML.lineChart([equity], xLabel: "days", yLabel: "USDT")),
                ("Drawdown", AnalyticsHTML.lineChart([drawdown], xLabel: "days", yLabel: "USDT")),
            ]
        )
    }
}
