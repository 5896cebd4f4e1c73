public import ArgumentParser
import Foundation
public import FulcrumAnalytics
public import FulcrumCore
import FulcrumIO
import FulcrumLab

/// `fulcrum liq-prob`: the probability that a position is liquidated within a horizon.
///
/// The liquidation price comes from the venue's rules (``VenueProfile/liquidationQuote(_:market:)``); the
/// probability from ``FirstPassage`` (GBM closed form) or ``LiquidationMonteCarlo`` (jump-diffusion, GARCH; also
/// run for GBM as a cross-check).
public struct LiqProbCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "liq-prob",
        abstract:
            "Probability that a position is liquidated within a horizon (GBM closed form, jump/GARCH Monte Carlo).",
        discussion: """
            Units: --horizon in hours, or with a unit suffix (90m, 24h, 7d, 2w, 1y). --vol is the annualised \
            volatility as a fraction (0.6 = 60 %/yr, 365-day year). --drift is the annualised price drift. \
            --funding-rate is the funding rate per interval (default 8 h; positive: longs pay); it enters as a \
            continuous carry: drift_eff = drift − side × rate × intervals per year.

            --calibrate FILE.csv estimates the volatility (all models), jumps (returns beyond 5 robust standard \
            deviations) and GARCH(1,1) parameters (variance targeting + grid maximum likelihood) from a price \
            column (--calibrate-column, default perp_mark) with a Unix-ms timestamp column.

            The Monte Carlo runs --paths paths from --seed, each path on its own stream (results do not depend on \
            threads), with a Brownian-bridge correction for crossings between steps; the interval is the 99 % \
            Wilson score interval.
            """
    )

    @Option(help: "Venue: binance, bybit, okx, hyperliquid, dydx, drift, bitmex or generic.")
    public var venue: String = "binance"

    @Option(help: "Market symbol or asset (default BTC).")
    public var market: String = "BTC"

    @Option(help: "Position side: long or short.")
    public var side: String

    @Option(help: "Entry price.")
    public var entry: String

    @Option(help: "Current price (default: the entry).")
    public var price: String?

    @Option(help: "Leverage (isolated margin = entry notional ÷ leverage).")
    public var leverage: String

    @Option(help: "Position size in base units (default 1; matters through the margin tiers).")
    public var size: String = "1"

    @Option(help: "Horizon: hours, or with a unit (90m, 24h, 7d, 2w, 1y).")
    public var horizon: String

    @Option(help: "Model: gbm, jump or garch.")
    public var model: String = "gbm"

    @Option(help: "Annualised volatility as a fraction (0.6 = 60 %).")
    public var vol: String?

    @Option(help: "Price CSV to calibrate the model from.")
    public var calibrate: String?

    @Option(name: .customLong("calibrate-column"), help: "Price column of the calibration file (default perp_mark).")
    public var calibrateColumn: String = "perp_mark"

    @Option(
        name: .customLong("timestamp-column"),
        help: "Timestamp column of the calibration file (default timestamp_ms)."
    )
    public var timestampColumn: String = "timestamp_ms"

    @Option(help: "Annualised price drift (default 0).")
    public var drift: String = "0"

    @Option(name: .customLong("funding-rate"), help: "Funding rate per interval (default 0; 0.0001 = 0.01 %).")
    public var fundingRate: String = "0"

    @Option(name: .customLong("funding-interval"), help: "Funding interval in hours (default 8).")
    public var fundingInterval: String = "8"

    @Option(name: .customLong("jump-intensity"), help: "Jumps per year (jump model; default from --calibrate or 12).")
    public var jumpIntensity: String?

    @Option(name: .customLong("jump-mean"), help: "Mean log jump size (default from --calibrate or -0.02).")
    public var jumpMean: String?

    @Option(name: .customLong("jump-vol"), help: "Std of the log jump size (default from --calibrate or 0.04).")
    public var jumpVol: String?

    @Option(help: "Monte Carlo paths (default 20000).")
    public var paths: Int = 20_000

    @Option(help: "Monte Carlo seed (default 1).")
    public var seed: UInt64 = 1

    @Option(help: "Monte Carlo steps per path for gbm and jump (default: one per 5 minutes, 50 to 20000).")
    public var steps: Int?

    @OptionGroup public var format: AnalyticsOutputOptions

    public init() {}

    public func run() throws {
        print(try output(), terminator: "")
    }

    /// The result of one evaluation.
    public struct Result: Sendable {
        /// Liquidation price from the venue's rules.
        public var liquidationPrice: Price
        /// Current price used.
        public var price: Price
        /// Horizon in hours.
        public var horizonHours: Double
        /// The model that produced ``monteCarlo``, in annualised parameters.
        public var model: ModelChoice
        /// Annualised volatility used for GBM.
        public var volatility: Double
        /// Effective drift (price drift minus funding carry).
        public var effectiveDrift: Double
        /// GBM closed form (always computed with ``volatility``; it is the answer for `--model gbm`).
        public var closedForm: Double
        /// The Monte Carlo estimate for the chosen model.
        public var monteCarlo: LiquidationMonteCarlo.Estimate
        /// Steps per path.
        public var steps: Int
        /// Calibration, when a file was given.
        public var calibration: VolatilityCalibration?
    }

    /// The command's output for the parsed options.
    public func output() throws -> String {
        let r = try evaluate()
        if let report = format.report {
            try ReportFile.write(html(r), toReportPath: report)
        }
        let answer = model == "gbm" ? r.closedForm : r.monteCarlo.probability
        if format.json { return jsonObject(r, answer: answer).render() + "\n" }
        if format.csv {
            return "model,side,entry,price,leverage,liquidation_price,horizon_hours,volatility,drift,probability,"
                + "closed_form,mc_probability,mc_lower99,mc_upper99,paths,seed\n"
                + "\(r.model.name),\(side),\(entry),\(r.price),\(leverage),\(r.liquidationPrice),\(r.horizonHours),"
                + "\(r.volatility),\(r.effectiveDrift),\(answer),\(r.closedForm),\(r.monteCarlo.probability),"
                + "\(r.monteCarlo.lower99),\(r.monteCarlo.upper99),\(r.monteCarlo.paths),\(seed)\n"
        }
        var text =
            "liquidation price  \(r.liquidationPrice) (\(venue) \(market), \(side) \(leverage)x from \(r.price))\n"
        text += "horizon            \(r.horizonHours) h\n"
        text += "model              \(r.model.name), vol \(r.volatility), drift \(r.effectiveDrift)\n"
        text += "probability        \(answer)\n"
        text += "GBM closed form    \(r.closedForm)\n"
        text +=
            "Monte Carlo        \(r.monteCarlo.probability) (99 % CI \(r.monteCarlo.lower99) – \(r.monteCarlo.upper99), "
        text += "\(r.monteCarlo.paths) paths, seed \(seed))\n"
        return text
    }

    /// Parses, solves the liquidation price, and computes the probabilities.
    public func evaluate() throws -> Result {
        do {
            let profile = try AnalyticsOptions.venue(venue)
            let spec = try AnalyticsOptions.market(market, venue: profile)
            let positionSide = try AnalyticsOptions.side(side)
            let entryPrice: Price = try AnalyticsOptions.decimal(entry, option: "--entry")
            guard entryPrice.isPositive else { throw AnalyticsInputError("--entry \"\(entry)\" must be positive") }
            let current: Price =
                try price.map { p throws(AnalyticsInputError) in
                    try AnalyticsOptions.decimal(p, option: "--price")
                } ?? entryPrice
            guard current.isPositive else { throw AnalyticsInputError("--price \"\(price ?? "")\" must be positive") }
            let lev: Leverage = try AnalyticsOptions.decimal(leverage, option: "--leverage")
            guard lev.isPositive else { throw AnalyticsInputError("--leverage \"\(leverage)\" must be positive") }
            let qty: Quantity = try AnalyticsOptions.decimal(size, option: "--size")
            guard qty.isPositive else { throw AnalyticsInputError("--size \"\(size)\" must be positive") }
            let hours = try AnalyticsOptions.hours(horizon, option: "--horizon")
            guard paths > 0 else { throw AnalyticsInputError("--paths \(paths) must be positive") }
            let quote: LiquidationQuote
            do {
                quote = try profile.liquidationQuote(
                    LiquidationPriceInput(
                        side: positionSide,
                        entryPrice: entryPrice,
                        size: qty,
                        margin: .leverage(lev)
                    ),
                    market: spec
                )
            } catch {
                throw AnalyticsInputError("--leverage \"\(leverage)\": \(error)")
            }
            guard let liquidation = quote.liquidationPrice else {
                throw AnalyticsInputError(
                    "--leverage \"\(leverage)\": the position has no liquidation price (never liquidated)"
                )
            }
            var calibration: VolatilityCalibration?
            if let calibrate {
                let series: PriceSeries
                do {
                    series = try MarketDataCSV.readPrices(
                        URL(fileURLWithPath: calibrate),
                        column: calibrateColumn,
                        timestampColumn: timestampColumn
                    )
                } catch {
                    throw AnalyticsInputError("--calibrate \"\(calibrate)\": \(error)")
                }
                guard series.count > 30 else { throw AnalyticsInputError("--calibrate \"\(calibrate)\": too few rows") }
                let stepMs =
                    Double(series.timestamps[series.count - 1] - series.timestamps[0]) / Double(series.count - 1)
                calibration = try VolatilityCalibration(
                    logReturns: series.logReturns(),
                    stepYears: stepMs / 31_536_000_000
                )
            }
            let sigma: Double
            if let vol {
                sigma = try AnalyticsOptions.double(vol, option: "--vol")
            } else if let calibration {
                sigma = calibration.volatility
            } else {
                throw AnalyticsInputError("--vol or --calibrate is required")
            }
            guard sigma > 0 else { throw AnalyticsInputError("--vol \"\(vol ?? "")\" must be positive") }
            let mu = try AnalyticsOptions.double(drift, option: "--drift")
            let rate = try AnalyticsOptions.double(fundingRate, option: "--funding-rate")
            let interval = try AnalyticsOptions.double(fundingInterval, option: "--funding-interval")
            guard interval > 0 else {
                throw AnalyticsInputError("--funding-interval \"\(fundingInterval)\" must be positive")
            }
            let effective = FirstPassage.effectiveDrift(
                priceDrift: mu,
                fundingRatePerInterval: rate,
                intervalsPerYear: 8_760 / interval,
                side: positionSide
            )
            let years = hours / 8_760
            let priceModel: ModelChoice
            switch model {
            case "gbm":
                priceModel = .gbm(volatility: sigma, drift: effective)
            case "jump":
                let lambda =
                    try jumpIntensity.map { t throws(AnalyticsInputError) in
                        try AnalyticsOptions.double(t, option: "--jump-intensity")
                    } ?? calibration?.jumpIntensity ?? 12
                let mean =
                    try jumpMean.map { t throws(AnalyticsInputError) in
                        try AnalyticsOptions.double(t, option: "--jump-mean")
                    } ?? calibration?.jumpMean ?? -0.02
                let jv =
                    try jumpVol.map { t throws(AnalyticsInputError) in
                        try AnalyticsOptions.double(t, option: "--jump-vol")
                    } ?? calibration?.jumpVolatility ?? 0.04
                guard lambda >= 0, jv >= 0 else {
                    throw AnalyticsInputError("--jump-intensity/--jump-vol must not be negative")
                }
                let diffusion = vol == nil ? (calibration?.diffusionVolatility ?? sigma) : sigma
                priceModel = .jump(
                    volatility: diffusion,
                    drift: effective,
                    intensity: lambda,
                    jumpMean: mean,
                    jumpVolatility: jv
                )
            case "garch":
                if let calibration, vol == nil {
                    priceModel = .garch(
                        omega: calibration.garchOmega,
                        alpha: calibration.garchAlpha,
                        beta: calibration.garchBeta,
                        initialVariance: calibration.garchLastVariance,
                        drift: effective,
                        stepYears: calibration.stepYears
                    )
                } else {
                    // Uncalibrated: 1-hour steps, α 0.05, β 0.94, unconditional variance from --vol.
                    let step = 1.0 / 8_760
                    let variance = sigma * sigma * step
                    priceModel = .garch(
                        omega: variance * 0.01,
                        alpha: 0.05,
                        beta: 0.94,
                        initialVariance: variance,
                        drift: effective,
                        stepYears: step
                    )
                }
            default:
                throw AnalyticsInputError("--model \"\(model)\" must be gbm, jump or garch")
            }
            let stepCount = steps ?? min(20_000, max(50, Int((hours * 12).rounded(.up))))
            guard stepCount > 0 else { throw AnalyticsInputError("--steps \(stepCount) must be positive") }
            let barrier = Double(liquidation.raw) / Double(current.raw)
            let closed = FirstPassage.probability(
                side: positionSide,
                spot: 1,
                barrier: barrier,
                horizonYears: years,
                volatility: sigma,
                drift: effective
            )
            let mc = try priceModel.estimate(
                side: positionSide,
                barrier: barrier,
                horizonYears: years,
                steps: stepCount,
                paths: paths,
                seed: seed
            )
            return Result(
                liquidationPrice: liquidation,
                price: current,
                horizonHours: hours,
                model: priceModel,
                volatility: sigma,
                effectiveDrift: effective,
                closedForm: closed,
                monteCarlo: mc,
                steps: stepCount,
                calibration: calibration
            )
        } catch let error as AnalyticsInputError {
            throw ValidationError(error.message)
        } catch let error as AnalyticsError {
            throw ValidationError(error.message)
        }
    }

    func jsonObject(_ r: Result, answer: Double) -> AnalyticsJSON {
        var o = AnalyticsJSON()
        o.set("venue", .string(venue))
        o.set("market", .string(market))
        o.set("side", .string(side))
        o.set("entry", .number(entry))
        o.set("price", .number(r.price.description))
        o.set("leverage", .number(leverage))
        o.set("liquidationPrice", .number(r.liquidationPrice.description))
        o.set("distance", .double(Double(r.liquidationPrice.raw) / Double(r.price.raw) - 1))
        o.set("horizonHours", .double(r.horizonHours))
        o.set("model", .string(r.model.name))
        o.set("volatility", .double(r.volatility))
        o.set("effectiveDrift", .double(r.effectiveDrift))
        o.set("probability", .double(answer))
        o.set("closedFormGBM", .double(r.closedForm))
        var m = AnalyticsJSON()
        m.set("probability", .double(r.monteCarlo.probability))
        m.set("lower99", .double(r.monteCarlo.lower99))
        m.set("upper99", .double(r.monteCarlo.upper99))
        m.set("hits", .int(r.monteCarlo.hits))
        m.set("paths", .int(r.monteCarlo.paths))
        m.set("steps", .int(r.steps))
        m.set("seed", .string(String(seed)))
        o.set("monteCarlo", .object(m))
        switch r.model {
        case .gbm: break
        case .jump(let s, _, let l, let jm, let jv):
            var p = AnalyticsJSON()
            p.set("diffusionVolatility", .double(s))
            p.set("intensity", .double(l))
            p.set("jumpMean", .double(jm))
            p.set("jumpVolatility", .double(jv))
            o.set("parameters", .object(p))
        case .garch(let omega, let alpha, let beta, let h0, _, let step):
            var p = AnalyticsJSON()
            p.set("omega", .double(omega))
            p.set("alpha", .double(alpha))
            p.set("beta", .double(beta))
            p.set("initialVariance", .double(h0))
            p.set("stepHours", .double(step * 8_760))
            o.set("parameters", .object(p))
        }
        if let c = r.calibration {
            var p = AnalyticsJSON()
            p.set("returns", .int(c.returns))
            p.set("volatility", .double(c.volatility))
            p.set("diffusionVolatility", .double(c.diffusionVolatility))
            p.set("jumpIntensity", .double(c.jumpIntensity))
            o.set("calibration", .object(p))
        }
        return o
    }

    func html(_ r: Result) -> String {
        let side = (try? AnalyticsOptions.side(side)) ?? .long
        let barrier = Double(r.liquidationPrice.raw) / Double(r.price.raw)
        var curve: [(x: Double, y: Double)] = []
        for k in 1...60 {
            let h = r.horizonHours * Double(k) / 60
            let p = FirstPassage.probability(
                side: side,
                spot: 1,
                barrier: barrier,
                horizonYears: h / 8_760,
                volatility: r.volatility,
                drift: r.effectiveDrift
            )
            curve.append((h, p))
        }
        var mcPoints: [(x: Double, y: Double)] = []
        for k in 1...6 {
            let h = r.horizonHours * Double(k) / 6
            if let e = try? r.model.estimate(
                side: side,
                barrier: barrier,
                horizonYears: h / 8_760,
                steps: max(10, r.steps * k / 6),
                paths: max(1_000, paths / 4),
                seed: seed
            ) {
                mcPoints.append((h, e.probability))
            }
        }
        return AnalyticsHTML.page(
            title: "fulcrum liq-prob",
            summary: [
                ("position", "\(self.side) \(leverage)x \(venue) \(market) from \(r.price)"),
                ("liquidation price", "\(r.liquidationPrice)"),
                ("horizon (h)", "\(r.horizonHours)"),
                ("model", r.model.name),
                ("GBM closed form", "\(r.closedForm)"),
                (
                    "Monte Carlo (99 % CI)",
                    "\(r.monteCarlo.probability) (\(r.monteCarlo.lower99) – \(r.monteCarlo.upper99))"
                ),
            ],
            sections: [
                (
                    "Probability of liquidation by horizon",
                    AnalyticsHTML.lineChart(
                        [
                            .init(name: "GBM closed form", points: curve, color: "#26a"),
                            .init(name: "Monte Carlo (\(r.model.name))", points: mcPoints, color: "#c33"),
                        ],
                        xLabel: "hours",
                        yLabel: "probability"
                    )
                )
            ]
        )
    }
}

extension LiqProbCommand {
    /// The `--model` choice with its annualised parameters, as the options and reports state them. The dynamics
    /// are the lab's ``FulcrumLab/PriceModel``: ``estimate(side:barrier:horizonYears:steps:paths:seed:)`` converts
    /// to its per-step form with `Δt = horizon ÷ steps` (GARCH: its own calibrated step).
    public enum ModelChoice: Sendable, Hashable {
        /// Geometric Brownian motion with annualised σ and μ.
        case gbm(volatility: Double, drift: Double)
        /// Merton jump-diffusion: annualised diffusion σ, drift μ and jump intensity λ; jump log sizes `N(m, s²)`.
        case jump(volatility: Double, drift: Double, intensity: Double, jumpMean: Double, jumpVolatility: Double)
        /// GARCH(1,1) in per-step units on steps of `stepYears`, from `initialVariance`, with annualised drift μ.
        case garch(
            omega: Double,
            alpha: Double,
            beta: Double,
            initialVariance: Double,
            drift: Double,
            stepYears: Double
        )

        /// A short name for reports.
        public var name: String {
            switch self {
            case .gbm: "gbm"
            case .jump: "jump"
            case .garch: "garch"
            }
        }

        /// The Monte Carlo estimate over `horizonYears` in `steps` steps (GARCH: `⌈horizon ÷ stepYears⌉` steps).
        public func estimate(
            side: PositionSide,
            barrier: Double,
            horizonYears: Double,
            steps: Int,
            paths: Int,
            seed: UInt64
        ) throws(AnalyticsError) -> LiquidationMonteCarlo.Estimate {
            guard horizonYears > 0, horizonYears.isFinite else {
                throw AnalyticsError("horizon \(horizonYears) years must be positive")
            }
            guard steps > 0 else { throw AnalyticsError("steps \(steps) must be positive") }
            let dt = horizonYears / Double(steps)
            let model: PriceModel
            var stepCount = steps
            var initialVariance: Double?
            switch self {
            case .gbm(let volatility, let drift):
                model = .annualisedGBM(volatility: volatility, drift: drift, stepYears: dt)
            case .jump(let volatility, let drift, let intensity, let jumpMean, let jumpVolatility):
                model = .annualisedMerton(
                    volatility: volatility,
                    drift: drift,
                    intensity: intensity,
                    jumpMean: jumpMean,
                    jumpVolatility: jumpVolatility,
                    stepYears: dt
                )
            case .garch(let omega, let alpha, let beta, let h0, let drift, let stepYears):
                model = .annualisedGARCH(omega: omega, alpha: alpha, beta: beta, drift: drift, stepYears: stepYears)
                stepCount = max(1, Int((horizonYears / stepYears).rounded(.up)))
                initialVariance = h0
            }
            return try LiquidationMonteCarlo.estimate(
                model: model,
                initialVariance: initialVariance,
                side: side,
                barrier: barrier,
                steps: stepCount,
                paths: paths,
                seed: seed
            )
        }
    }
}
