import FulcrumAnalytics
import FulcrumCore
import FulcrumEngine
import FulcrumIO

/// Read models rendered from a copy of the engine (off the actor), as JSON text.
enum EngineViews {
    /// One account: wallet, cross equity and margin, positions with entry, PnL, liquidation and bankruptcy prices.
    static func account(_ engine: ClearingEngine, _ id: AccountID) -> String {
        var o = JSONObjectText()
        o.int("account", id.raw)
        o.decimal("balance", engine.balances[id.index])
        if let cross = try? engine.crossMargin(of: id) {
            o.wideMoney("equity", cross.equity)
            o.wideMoney("initialMargin", cross.initial)
            o.wideMoney("maintenanceMargin", cross.maintenance)
        } else {
            o.raw("equity", "null")
            o.raw("initialMargin", "null")
            o.raw("maintenanceMargin", "null")
        }
        var positions: [String] = []
        for market in 0..<engine.marketCount {
            let marketID = MarketID(UInt32(market))
            let position = engine.position(id, marketID)
            guard position.isOpen else { continue }
            var p = JSONObjectText()
            p.string("market", engine.specs[market].symbol)
            p.string("side", position.size.raw > 0 ? "long" : "short")
            p.decimal("size", position.size)
            p.decimal("entryPrice", engine.entryPrice(of: id, in: marketID))
            p.decimal("cost", position.cost)
            p.string("mode", position.mode.rawValue)
            p.decimal("leverage", position.leverage)
            p.decimal("isolatedMargin", position.isolatedMargin)
            p.decimal("unrealizedPnl", try? engine.unrealizedPnl(of: id, in: marketID))
            if position.mode == .isolated, let pool = try? engine.isolatedMargin(of: id, in: marketID) {
                p.wideMoney("positionEquity", pool.equity)
                p.wideMoney("positionMaintenanceMargin", pool.maintenance)
            }
            let quote = liquidationQuote(engine, id, marketID)
            p.decimal("liquidationPrice", quote?.liquidationPrice)
            p.decimal("bankruptcyPrice", quote?.bankruptcyPrice)
            positions.append(p.json)
        }
        o.raw("positions", JSONObjectText.array(positions))
        return o.json
    }

    /// The venue's liquidation quote for one open position (cross: the wallet and the other cross positions at
    /// their trigger prices; isolated: the position's margin); `nil` when it cannot be solved (no price yet,
    /// negative wallet, mixed settlement).
    static func liquidationQuote(_ engine: ClearingEngine, _ id: AccountID, _ market: MarketID) -> LiquidationQuote? {
        let position = engine.position(id, market)
        guard position.isOpen, let entry = engine.entryPrice(of: id, in: market), entry.isPositive else { return nil }
        var others: [CrossPosition] = []
        let margin: MarginSource
        if position.mode == .isolated {
            margin = .wallet(position.isolatedMargin)
        } else {
            margin = .wallet(engine.balances[id.index])
            for other in 0..<engine.marketCount where other != market.index {
                let otherID = MarketID(UInt32(other))
                let held = engine.position(id, otherID)
                guard held.isOpen, held.mode == .cross, let otherEntry = engine.entryPrice(of: id, in: otherID) else {
                    continue
                }
                others.append(
                    CrossPosition(
                        market: engine.specs[other],
                        entryPrice: otherEntry,
                        size: held.size,
                        markPrice: engine.triggerPrice(otherID)
                    )
                )
            }
        }
        let input = LiquidationPriceInput(
            side: position.size.raw > 0 ? .long : .short,
            entryPrice: entry,
            size: position.size.magnitude,
            margin: margin,
            mode: position.mode,
            otherPositions: others
        )
        return try? engine.profiles[market.index].liquidationQuote(input, market: engine.specs[market.index])
    }

    /// Markets with prices, open interest and the insurance fund that covers each.
    static func markets(_ engine: ClearingEngine) -> String {
        var rows: [String] = []
        for market in 0..<engine.marketCount {
            let id = MarketID(UInt32(market))
            let spec = engine.specs[market]
            let state = engine.markets[market]
            var o = JSONObjectText()
            o.string("symbol", spec.symbol)
            o.string("venue", engine.profiles[market].id.rawValue)
            o.string("kind", spec.kind.rawValue)
            o.decimal("tick", spec.tickSize)
            o.decimal("step", spec.stepSize)
            o.decimal("contractValue", spec.contractValue)
            o.decimal("indexPrice", state.indexPrice)
            o.decimal("markPrice", state.markPrice)
            o.decimal("triggerPrice", engine.triggerPrice(id))
            o.decimal("fundingIndex", state.fundingIndex)
            o.decimal("longOpenInterest", state.longOpenInterest)
            o.decimal("shortOpenInterest", state.shortOpenInterest)
            let fund = engine.insuranceFundIndex(for: id)
            o.string("insuranceFundScope", fund == 0 ? "shared" : "market")
            o.decimal("insuranceFund", engine.insuranceFunds[fund])
            rows.append(o.json)
        }
        return JSONObjectText.array(rows)
    }

    /// Insurance funds (shared and per market), fee pool and the ledger's loss totals.
    static func insurance(_ engine: ClearingEngine) -> String {
        var funds: [String] = []
        var shared = JSONObjectText()
        shared.string("scope", "shared")
        shared.string("market", nil)
        shared.decimal("balance", engine.insuranceFunds[0])
        funds.append(shared.json)
        for market in 0..<engine.marketCount {
            let index = engine.insuranceFundIndex(for: MarketID(UInt32(market)))
            guard index != 0, index < engine.insuranceFunds.count else { continue }
            var o = JSONObjectText()
            o.string("scope", "market")
            o.string("market", engine.specs[market].symbol)
            o.decimal("balance", engine.insuranceFunds[index])
            funds.append(o.json)
        }
        var o = JSONObjectText()
        o.raw("funds", JSONObjectText.array(funds))
        o.decimal("feePool", engine.feePool)
        o.raw("badDebt", "\"\(engine.badDebt.description)\"")
        o.raw("socializedLoss", "\"\(engine.socializedLoss.description)\"")
        o.raw("totalDeposits", "\"\(engine.totalDeposits.description)\"")
        o.raw("totalWithdrawals", "\"\(engine.totalWithdrawals.description)\"")
        return o.json
    }

    /// One account near liquidation.
    struct AtRisk {
        var account: AccountID
        /// Maintenance ÷ equity of the riskiest pool (≥ 1 means liquidatable; equity ≤ 0 counts as infinite).
        var marginRatio: Double
        var equity: Int128
        var maintenance: Int128
    }

    /// The `limit` accounts closest to liquidation by margin ratio among `candidates` (the service reads them from
    /// its liquidation index: the accounts under maintenance and the owners of the keys nearest each market's
    /// trigger price, so no account scan), the backstop excluded; ties by account id.
    static func closestToLiquidation(_ engine: ClearingEngine, candidates: [AccountID], limit: Int) -> [AtRisk] {
        var found: [AtRisk] = []
        let backstop = engine.configuration.backstopAccount
        for id in candidates {
            guard id != backstop, id.index < engine.accountCount else { continue }
            var worst: AtRisk?
            func consider(_ metrics: PoolMetrics) {
                guard metrics.openPositions > 0 else { return }
                let ratio =
                    metrics.equity <= 0 ? Double.infinity : Double(metrics.maintenance) / Double(metrics.equity)
                if worst == nil || ratio > (worst?.marginRatio ?? 0) {
                    worst = AtRisk(
                        account: id,
                        marginRatio: ratio,
                        equity: metrics.equity,
                        maintenance: metrics.maintenance
                    )
                }
            }
            if let cross = try? engine.crossMargin(of: id) { consider(cross) }
            for market in 0..<engine.marketCount {
                let marketID = MarketID(UInt32(market))
                let position = engine.position(id, marketID)
                if position.isOpen, position.mode == .isolated,
                    let pool = try? engine.isolatedMargin(of: id, in: marketID)
                {
                    consider(pool)
                }
            }
            if let worst { found.append(worst) }
        }
        found.sort { $0.marginRatio != $1.marginRatio ? $0.marginRatio > $1.marginRatio : $0.account < $1.account }
        return Array(found.prefix(limit))
    }

    /// The at-risk list as JSON, with each account's nearest liquidation price and its distance from the trigger.
    static func atRiskJSON(_ engine: ClearingEngine, _ list: [AtRisk]) -> String {
        var rows: [String] = []
        for item in list {
            var o = JSONObjectText()
            o.int("account", item.account.raw)
            o.raw("marginRatio", item.marginRatio.isFinite ? "\((item.marginRatio * 1e6).rounded() / 1e6)" : "null")
            o.wideMoney("equity", item.equity)
            o.wideMoney("maintenanceMargin", item.maintenance)
            var nearest: (market: String, price: Price, distance: Double)?
            for market in 0..<engine.marketCount {
                let id = MarketID(UInt32(market))
                guard let liquidation = liquidationQuote(engine, item.account, id)?.liquidationPrice else { continue }
                let trigger = engine.triggerPrice(id)
                guard trigger.isPositive else { continue }
                let distance = abs(Double(trigger.raw) - Double(liquidation.raw)) / Double(trigger.raw) * 100
                if nearest == nil || distance < (nearest?.distance ?? .infinity) {
                    nearest = (engine.specs[market].symbol, liquidation, distance)
                }
            }
            o.string("market", nearest?.market)
            o.decimal("liquidationPrice", nearest?.price)
            o.raw("distancePercent", nearest.map { "\(($0.distance * 1e4).rounded() / 1e4)" } ?? "null")
            rows.append(o.json)
        }
        return JSONObjectText.array(rows)
    }

    /// The liquidation heatmap of `market` around its trigger price as an SVG bar chart.
    static func heatmapSVG(_ engine: ClearingEngine, market: MarketID, depth: Money, scanLimit: Int) -> String {
        let symbol = engine.specs[market.index].symbol
        let reference = engine.triggerPrice(market)
        guard reference.isPositive else { return emptySVG("\(symbol): no price yet") }
        var positions: [HeatmapPosition] = []
        for account in 0..<min(engine.accountCount, scanLimit) {
            let id = AccountID(UInt32(account))
            let position = engine.position(id, market)
            guard position.isOpen, let liquidation = liquidationQuote(engine, id, market)?.liquidationPrice else {
                continue
            }
            positions.append(
                HeatmapPosition(
                    side: position.size.raw > 0 ? .long : .short,
                    size: position.size.magnitude,
                    liquidationPrice: liquidation
                )
            )
        }
        // Bucket width 0.5 % of the reference, rounded up (at least one tick of 10⁻⁸): a coarser chart, never empty.
        let width = Price.maximum(
            Price(raw: 1),
            (try? reference.times(Rate(raw: 500_000), rounding: .up)) ?? Price(raw: 1)
        )
        guard
            let map = try? LiquidationHeatmap.build(
                positions: positions,
                reference: reference,
                bucketWidth: width,
                bucketsPerSide: 40,
                depthPerBucket: depth
            )
        else { return emptySVG("\(symbol): heatmap unavailable") }
        return AnalyticsHTML.barChart(
            labels: map.buckets.map { (Double($0.lower.raw) + Double($0.upper.raw)) / 2e8 },
            up: map.buckets.map { Double($0.shortNotional.raw) / 1e8 },
            down: map.buckets.map { Double($0.longNotional.raw) / 1e8 },
            upName: "\(symbol): shorts liquidated above \(reference) (\(positions.count) positions)",
            downName: "\(symbol): longs liquidated below \(reference)",
            xLabel: "price",
            width: 1100,
            height: 320
        )
    }

    static func emptySVG(_ message: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"60\"><text x=\"10\" y=\"30\" font-size=\"13\">"
            + AnalyticsHTML.escape(message) + "</text></svg>"
    }
}
