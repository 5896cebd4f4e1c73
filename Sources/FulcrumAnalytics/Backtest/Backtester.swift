import FulcrumCore
import RealModule

/// Runs leveraged perpetual strategies over a price series with exact margin, funding, fees and liquidation.
///
/// Per sample `i` (time `tᵢ`, price `pᵢ`): (1) vol-target rebalances when due; (2) every funding payment with
/// `tᵢ ≤ t < tᵢ₊₁` settles at `pᵢ`, the latest sample at or before it (payments are never dropped: those before
/// the first sample or after a liquidation are counted in ``BacktestResult/FundingPricing``); (3) the maintenance
/// trigger is checked: the margin pool (the isolated perp margin for funding-harvest, the whole account
/// otherwise) `< maintenanceMargin(size, pᵢ)` closes the perpetual at `pᵢ`, charges the venue's liquidation fee
/// from what is left, and records any shortfall as bad debt; (4) equity and drawdown are updated.
public enum Backtester {
    /// Runs one backtest.
    ///
    /// - Parameters:
    ///   - perp: the perpetual's price samples (mark price: it prices margin, PnL and funding).
    ///   - spot: spot samples on the same timestamps (funding-harvest and basis only).
    ///   - funding: realised funding payments with the venue's timestamps.
    /// - Throws: ``AnalyticsError`` naming the field and value on bad input or arithmetic overflow.
    public static func run(
        config: BacktestConfig,
        perp: PriceSeries,
        spot: PriceSeries? = nil,
        funding: FundingSeries
    ) throws(AnalyticsError) -> BacktestResult {
        guard perp.count >= 2 else { throw AnalyticsError("prices: \(perp.count) samples; at least 2 are needed") }
        guard config.size.isPositive else { throw AnalyticsError("size \(config.size) must be positive") }
        guard config.leverage.isPositive else { throw AnalyticsError("leverage \(config.leverage) must be positive") }
        guard !config.takerFee.isNegative, !config.spotFee.isNegative else {
            throw AnalyticsError("fee \(config.takerFee)/\(config.spotFee) must not be negative")
        }
        if config.strategy.needsSpot {
            guard let spot else { throw AnalyticsError("strategy \(config.strategy.rawValue) needs a spot series") }
            guard spot.timestamps == perp.timestamps else {
                throw AnalyticsError("spot series timestamps differ from the perp series")
            }
            guard config.side == .short else {
                throw AnalyticsError(
                    "side \(config.side.rawValue): \(config.strategy.rawValue) is spot long + perp short"
                )
            }
        }
        if config.strategy == .volTarget {
            guard config.targetVolatility > 0, config.targetVolatility.isFinite else {
                throw AnalyticsError("target-vol \(config.targetVolatility) must be positive")
            }
            guard config.rebalanceIntervalMs > 0 else {
                throw AnalyticsError("rebalance interval \(config.rebalanceIntervalMs) ms must be positive")
            }
        }
        // Bound for the exact 128-bit equity arithmetic in the loop (trapping `+`/`*` there rely on it):
        // |size| × price ≤ 10¹² USDT (10²⁸ in 10⁻¹⁶ units) for every perp and spot sample.
        let highest = max(perp.prices.max() ?? .zero, spot?.prices.max() ?? .zero)
        guard config.size.wide * highest.wide <= 10_000_000_000_000_000_000_000_000_000 else {
            throw AnalyticsError(
                "size \(config.size) × price \(highest) exceeds the 10^12 USDT notional a backtest accepts"
            )
        }
        do {
            return try simulate(config: config, perp: perp, spot: spot, funding: funding)
        } catch let error as AnalyticsError {
            throw error
        } catch {
            throw AnalyticsError("backtest: \(error)")
        }
    }

    private static func simulate(
        config: BacktestConfig,
        perp: PriceSeries,
        spot: PriceSeries?,
        funding: FundingSeries
    ) throws -> BacktestResult {
        let profile = config.profile
        let market = config.market
        let prices = perp.prices
        let times = perp.timestamps
        let n = prices.count
        let side = config.side
        let signedSize = side == .long ? config.size : -config.size
        let isolated = config.strategy == .fundingHarvest
        let p0 = prices[0]

        // Opening requirements.
        let initialMargin = try profile.initialMargin(
            size: config.size,
            price: p0,
            leverage: config.leverage,
            market: market
        )
        let perpOpenFee = try TradingFee.fee(quantity: config.size, price: p0, rate: config.takerFee)
        var spotCost = Money.zero
        var spotOpenFee = Money.zero
        if config.strategy.needsSpot, let spot {
            spotCost = try config.size.notional(at: spot.prices[0], rounding: .up)  // favours the venue
            spotOpenFee = try TradingFee.fee(quantity: config.size, price: spot.prices[0], rate: config.spotFee)
        }
        let needed = try initialMargin.adding(perpOpenFee).adding(spotCost).adding(spotOpenFee)
        let wallet = config.wallet ?? needed
        if config.strategy == .volTarget {
            // Vol-target opens at its first rebalance with a size its equity supports; it only needs a wallet.
            guard wallet.isPositive else { throw AnalyticsError("wallet \(wallet) must be positive") }
        } else if wallet < needed {
            throw AnalyticsError("wallet \(wallet) is below the \(needed) needed to open (margin, spot cost, fees)")
        }

        var cash = wallet  // account cash (cross) or the spot side (isolated harvest)
        var perpCash = Money.zero  // isolated perp margin (funding-harvest only)
        var leg = PerpLeg()
        var spotQty = Quantity.zero
        var fees = Money.zero
        var fundingTotal = Money.zero
        var badDebt = Money.zero
        var liquidationTimes: [Int64] = []
        var trades = 0

        // Open at the first sample (vol-target waits for its first rebalance).
        if config.strategy != .volTarget {
            _ = try leg.trade(signedSize, at: p0)
            trades += 1
            fees += perpOpenFee
            if isolated {
                perpCash = initialMargin
                cash = try cash.subtracting(initialMargin).subtracting(perpOpenFee)
            } else {
                cash = try cash.subtracting(perpOpenFee)
            }
            if config.strategy.needsSpot {
                spotQty = config.size
                cash = try cash.subtracting(spotCost).subtracting(spotOpenFee)
                fees += spotOpenFee
                trades += 1
            }
        }

        // Vol-target state (statistics in Double; sizes enter as fixed point with an explicit rounding).
        let lambda = Double.pow(0.5, 1.0 / 1_440.0)  // EWMA half-life 1,440 samples (one day of minutes)
        let averageStepMs = Double(times[n - 1] - times[0]) / Double(n - 1)
        let samplesPerYear = 365.0 * 86_400_000.0 / averageStepMs
        var ewmaVariance = 0.0
        var ewmaWeight = 0.0
        var nextRebalance = times[0] + config.rebalanceIntervalMs

        // Funding pointer: payments before the first sample cannot be priced (no position can exist yet).
        let fundingTimes = funding.timestamps
        let fundingRates = funding.rates
        var f = 0
        var pricing = BacktestResult.FundingPricing(
            exact: 0,
            earlierSample: 0,
            maxStalenessMs: 0,
            beforeFirstSample: 0,
            afterClose: 0,
            settled: 0
        )
        while f < fundingTimes.count && fundingTimes[f] < times[0] {
            pricing.beforeFirstSample += 1
            f += 1
        }

        var liquidated = false
        var peakScaled = Int128.min
        var maxDrawdownScaled: Int128 = 0
        var lastEquityScaled: Int128 = 0
        var maxDrawdownFraction = 0.0
        let scale16 = FixedPointScale.wideFactor * FixedPointScale.wideFactor
        var fastPathRate: Int128?
        if market.kind == .linear {
            switch profile.marginModel {
            case .tiered, .hyperliquid:
                fastPathRate = market.tiers.tiers.map(\.maintenanceMarginRate.wide).max()
            case .dydx, .drift:
                fastPathRate = nil
            }
        }
        let stride = max(1, n / max(1, config.curvePoints))
        var curve: [BacktestResult.CurvePoint] = []
        curve.reserveCapacity(n / stride + 2)
        var previousPrice = Double(p0.raw)

        for i in 0..<n {
            let price = prices[i]
            let spotPrice = spot?.prices[i] ?? price

            // (1) Vol-target: update the EWMA variance, rebalance when due.
            if config.strategy == .volTarget {
                let current = Double(price.raw)
                if i > 0 {
                    let r = Double.log(current / previousPrice)
                    ewmaVariance = lambda * ewmaVariance + (1 - lambda) * r * r
                    ewmaWeight = lambda * ewmaWeight + (1 - lambda)
                }
                previousPrice = current
                if !liquidated && times[i] >= nextRebalance {
                    nextRebalance = times[i] + config.rebalanceIntervalMs
                    let variance = ewmaWeight > 0 ? ewmaVariance / ewmaWeight : 0
                    let sigma = Double.sqrt(variance * samplesPerYear)
                    let equityNow = try cash.adding(try leg.unrealized(at: price))
                    let target = try volTargetSize(
                        equity: equityNow,
                        price: price,
                        sigma: sigma,
                        config: config
                    )
                    let targetSigned = side == .long ? target : -target
                    let delta = try targetSigned.subtracting(leg.size)
                    if !delta.isZero {
                        let fee = try TradingFee.fee(quantity: delta, price: price, rate: config.takerFee)
                        let realized = try leg.trade(delta, at: price)
                        cash = try cash.adding(realized).subtracting(fee)
                        fees += fee
                        trades += 1
                    }
                }
            }

            // (2) Funding payments in [tᵢ, tᵢ₊₁) settle at this sample's price.
            let nextTime = i + 1 < n ? times[i + 1] : Int64.max
            while f < fundingTimes.count && fundingTimes[f] < nextTime {
                let staleness = fundingTimes[f] - times[i]
                if staleness == 0 { pricing.exact += 1 } else { pricing.earlierSample += 1 }
                pricing.maxStalenessMs = max(pricing.maxStalenessMs, staleness)
                if liquidated {
                    pricing.afterClose += 1
                } else {
                    // One funding implementation (FulcrumCore.FundingMath): Δ = price·rate truncated toward zero
                    // (the file's rate is per payment, so interval = rate interval), payment = −Δ·size rounded down.
                    let delta = try FundingMath.indexDelta(
                        rate: fundingRates[f],
                        price: price,
                        intervalSeconds: 28_800,
                        rateIntervalSeconds: 28_800
                    )
                    let payment = try FundingMath.payment(indexDelta: delta, size: leg.size)
                    fundingTotal = try fundingTotal.adding(payment)
                    if isolated {
                        perpCash = try perpCash.adding(payment)
                    } else {
                        cash = try cash.adding(payment)
                    }
                    pricing.settled += 1
                }
                f += 1
            }

            // (3) Maintenance trigger. Fast path (no division): with MM ≤ |size|·price·r_max for a linear tiered
            // market, a pool above that bound (in exact 10⁻²⁴ units, plus a 3-unit allowance for MM's upward
            // roundings) cannot be below maintenance; otherwise the exact check below decides.
            let unrealizedScaled = leg.size.wide * (price.wide - leg.entry.wide)  // exact, 10⁻¹⁶ units
            let spotScaled = spotQty.wide * spotPrice.wide  // exact, 10⁻¹⁶ units
            if !leg.size.isZero {
                var safe = false
                if let maxRate = fastPathRate {
                    let base = isolated ? perpCash.wide : cash.wide
                    let poolScaled = base * FixedPointScale.wideFactor + unrealizedScaled + (isolated ? 0 : spotScaled)
                    let bound = leg.size.magnitude.wide * price.wide * maxRate + 3 * scale16
                    safe = poolScaled * FixedPointScale.wideFactor >= bound
                }
                if !safe {
                    let unrealized = try leg.unrealized(at: price)
                    let spotValue = spotQty.isZero ? Money.zero : try spotQty.notional(at: spotPrice, rounding: .down)
                    let pool =
                        isolated ? try perpCash.adding(unrealized) : try cash.adding(unrealized).adding(spotValue)
                    let maintenance = try profile.maintenanceMargin(size: leg.size, price: price, market: market)
                    // Strictly below, as FulcrumCore's `LiquidationCheck.isLiquidatable` (equity < requirement).
                    if pool < maintenance {
                        let closedSize = leg.size.magnitude
                        let realized = try leg.trade(-leg.size, at: price)
                        let fee = try TradingFee.fee(
                            quantity: closedSize,
                            price: price,
                            rate: profile.liquidationFee.rate
                        )
                        var remaining = isolated ? try perpCash.adding(realized) : try cash.adding(realized)
                        if !isolated && !spotQty.isZero {
                            // A unified account's spot collateral is sold into the liquidation as well.
                            let spotFee = try TradingFee.fee(quantity: spotQty, price: spotPrice, rate: config.spotFee)
                            remaining = try remaining.adding(spotValue).subtracting(spotFee)
                            fees += spotFee
                            spotQty = .zero
                        }
                        let charged = Money.minimum(fee, Money.maximum(remaining, .zero))
                        remaining = try remaining.subtracting(charged)
                        fees += charged
                        if remaining.isNegative {
                            badDebt = try badDebt.subtracting(remaining)
                            remaining = .zero
                        }
                        if isolated { perpCash = remaining } else { cash = remaining }
                        liquidated = true
                        liquidationTimes.append(times[i])
                        trades += 1
                    }
                }
            }

            // (4) Equity and drawdown on every sample, exactly in 10⁻¹⁶ units (no per-sample division).
            let equityScaled =
                (cash.wide + perpCash.wide) * FixedPointScale.wideFactor
                + (leg.size.isZero ? 0 : leg.size.wide * (price.wide - leg.entry.wide))
                + (spotQty.isZero ? 0 : spotQty.wide * spotPrice.wide)
            if equityScaled > peakScaled { peakScaled = equityScaled }
            let drawdownScaled = peakScaled - equityScaled
            if drawdownScaled > maxDrawdownScaled {
                maxDrawdownScaled = drawdownScaled
                maxDrawdownFraction = peakScaled > 0 ? Double(drawdownScaled) / Double(peakScaled) : 0
            }
            if i % stride == 0 || i == n - 1 {
                curve.append(
                    .init(
                        timestamp: times[i],
                        equity: try toMoney(equityScaled, .down),
                        drawdown: try toMoney(drawdownScaled, .up)
                    )
                )
            }
            lastEquityScaled = equityScaled
        }

        // Equity rounds down (never overstated); the drawdown rounds up (never understated).
        let equity = try toMoney(lastEquityScaled, .down)
        let maxDrawdown = try toMoney(maxDrawdownScaled, .up)
        let pricePnl = try equity.subtracting(wallet).subtracting(fundingTotal).adding(fees)
        return BacktestResult(
            initialEquity: wallet,
            funding: fundingTotal,
            fees: fees,
            pricePnl: pricePnl,
            finalEquity: equity,
            liquidations: liquidationTimes.count,
            liquidationTimes: liquidationTimes,
            badDebt: badDebt,
            maxDrawdown: maxDrawdown,
            maxDrawdownFraction: maxDrawdownFraction,
            trades: trades,
            fundingPricing: pricing,
            samples: n,
            curve: curve
        )
    }

    /// A 10⁻¹⁶-unit exact amount as ``Money`` with the named rounding.
    static func toMoney(_ scaled: Int128, _ rule: RoundingRule) throws(ArithmeticError) -> Money {
        let raw = try FixedMath.divide(scaled, by: FixedPointScale.wideFactor, rounding: rule)
        return Money(raw: try FixedMath.narrow(raw, field: "equity"))
    }

    /// The vol-target size `equity × target ÷ (σ × price)`, capped by `leverage × equity ÷ price` and by the
    /// configured maximum size, rounded **down** to the market's step (a smaller position: favours caution).
    static func volTargetSize(
        equity: Money,
        price: Price,
        sigma: Double,
        config: BacktestConfig
    ) throws(ArithmeticError) -> Quantity {
        guard equity.isPositive, sigma > 0, sigma.isFinite else { return .zero }
        let units = Double(equity.raw) * config.targetVolatility / (sigma * Double(price.raw))
        let rawTarget = units * Double(FixedPointScale.factor)
        let capped = min(rawTarget, Double(config.size.raw))
        var target = Quantity(raw: Int64(capped.rounded(.down)))  // explicit rounding into fixed point
        let maxNotional = try equity.times(config.leverage.relabelled(as: Rate.self), rounding: .down)
        let maxSize = try maxNotional.quantity(at: price, rounding: .down)
        target = Quantity.minimum(target, maxSize)
        return try target.rounded(toMultipleOf: config.market.stepSize, rounding: .down)
    }
}
