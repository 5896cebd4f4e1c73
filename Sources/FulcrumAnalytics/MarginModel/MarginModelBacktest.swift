import FulcrumCore

/// Backtests margin models on one population over one price series: the whole series, no selected windows.
public enum MarginModelBacktest {
    /// Runs one model.
    ///
    /// Per account (entry price p₀, size `q = notional ÷ p₀` rounded down): margin `M = notional × max(1/L, req₀)`
    /// rounded up; at each sample, equity `M + side·q·(p − p₀)` (PnL rounded down) is compared with the
    /// maintenance `q·p × req_t × maintenanceFraction` (rounded up); below it the account is liquidated at `p` and
    /// any negative equity is bad debt.
    ///
    /// - Parameters:
    ///   - crashWindow: `[start, end)` in Unix ms for ``MarginModelOutcome/crashWindowRise``.
    /// - Throws: ``AnalyticsError`` for bad parameters or arithmetic overflow.
    public static func run(
        series: PriceSeries,
        parameters: MarginModelParameters,
        population: MarginPopulation,
        crashWindow: Range<Int64>
    ) throws(AnalyticsError) -> MarginModelOutcome {
        guard !population.leverages.isEmpty, population.leverages.allSatisfy(\.isPositive) else {
            throw AnalyticsError("population leverages \(population.leverages) must be positive")
        }
        guard population.notional.isPositive else {
            throw AnalyticsError("notional \(population.notional) must be positive")
        }
        guard population.cohortIntervalMs > 0, population.holdMs > 0 else {
            throw AnalyticsError("cohort interval and hold must be positive")
        }
        let rates = try MarginRequirementPath.rates(series, parameters: parameters)
        do {
            return try simulate(series, rates, parameters, population, crashWindow)
        } catch {
            throw AnalyticsError("margin model \(parameters.kind.rawValue): \(error)")
        }
    }

    private struct Account {
        var size: Quantity  // signed
        var entry: Price
        var margin: Money
        var openRate: Rate
        var until: Int64
    }

    private static func simulate(
        _ series: PriceSeries,
        _ rates: [Rate],
        _ p: MarginModelParameters,
        _ population: MarginPopulation,
        _ crashWindow: Range<Int64>
    ) throws(ArithmeticError) -> MarginModelOutcome {
        let n = series.count
        let times = series.timestamps
        let prices = series.prices
        let fraction = MarginRequirementPath.toRate(p.maintenanceFraction)
        var open: [Account] = []
        var accounts = 0
        var liquidations = 0
        var marginCalls = 0
        var badDebt = MoneySum()
        var marginSum = 0.0
        var notionalSum = 0.0
        var requirementSum = 0.0
        var nextCohort = times[0]
        let stepMs = Double(times[n - 1] - times[0]) / Double(n - 1)
        let daySamples = max(1, Int((86_400_000 / stepMs).rounded()))
        var maxDailyRise = 0.0
        var crashStart: Double?
        var crashPeak = 0.0
        var curve: [(timestamp: Int64, rate: Double)] = []
        let curveStride = max(1, n / 2_000)
        for i in 0..<n {
            let price = prices[i]
            let rate = rates[i]
            let rateDouble = Double(rate.raw) / Double(FixedPointScale.factor)
            requirementSum += rateDouble
            if i >= daySamples {
                let before = Double(rates[i - daySamples].raw)
                if before > 0 { maxDailyRise = max(maxDailyRise, Double(rate.raw) / before) }
            }
            if crashWindow.contains(times[i]) {
                if crashStart == nil { crashStart = rateDouble }
                crashPeak = max(crashPeak, rateDouble)
            }
            if i % curveStride == 0 || i == n - 1 { curve.append((times[i], rateDouble)) }
            // Open a cohort.
            if times[i] >= nextCohort {
                nextCohort = times[i] + population.cohortIntervalMs
                let size = try population.notional.quantity(at: price, rounding: .down)  // fewer coins: caution
                for leverage in population.leverages {
                    let userRate = try Rate.reciprocal(of: leverage, rounding: .up)  // favours the venue
                    let marginRate = Rate.maximum(userRate, rate)
                    let margin = try population.notional.times(marginRate, rounding: .up)  // favours the venue
                    for sign in [Int64(1), -1] {
                        open.append(
                            Account(
                                size: Quantity(raw: size.raw * sign),
                                entry: price,
                                margin: margin,
                                openRate: rate,
                                until: times[i] + population.holdMs
                            )
                        )
                        accounts += 1
                    }
                }
            }
            // Check every open account.
            let maintenanceRate = try rate.times(fraction, rounding: .up)
            var index = 0
            while index < open.count {
                let account = open[index]
                if times[i] >= account.until {
                    open.swapAt(index, open.count - 1)
                    open.removeLast()
                    continue
                }
                let move = price.wide - account.entry.wide
                let pnlRaw = try FixedMath.multiplyDivide(
                    account.size.wide,
                    move,
                    FixedPointScale.wideFactor,
                    rounding: .down
                )
                let equity = account.margin.wide + pnlRaw
                let notional = try account.size.magnitude.notional(at: price, rounding: .up)
                let maintenance = try notional.times(maintenanceRate, rounding: .up)
                marginSum += Double(account.margin.raw)
                notionalSum += Double(population.notional.raw)
                if equity < maintenance.wide {
                    liquidations += 1
                    let openMaintenance = try notional.times(
                        try account.openRate.times(fraction, rounding: .up),
                        rounding: .up
                    )
                    if equity >= openMaintenance.wide { marginCalls += 1 }
                    if equity < 0 { badDebt.raw -= equity }
                    open.swapAt(index, open.count - 1)
                    open.removeLast()
                    continue
                }
                index += 1
            }
        }
        guard let bad = badDebt.money else { throw ArithmeticError(.overflow, "bad debt \(badDebt) overflows") }
        return MarginModelOutcome(
            kind: p.kind,
            accounts: accounts,
            liquidations: liquidations,
            marginCallLiquidations: marginCalls,
            badDebt: bad,
            averageMarginRate: notionalSum > 0 ? marginSum / notionalSum : 0,
            averageRequirement: requirementSum / Double(n),
            maxDailyRise: maxDailyRise,
            crashWindowRise: crashStart.map { $0 > 0 ? crashPeak / $0 : 0 } ?? 0,
            requirementCurve: curve
        )
    }
}
