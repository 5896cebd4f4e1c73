import FulcrumCore

/// Auto-deleveraging and the agents (hunters, deleveraging accounts).
extension CascadeRun {
    /// Ranks the open accounts on `side` for ADL under the profile's ranking (highest first; ties by index).
    ///
    /// Ranking keys are Double statistics (an order, not an amount): PnL% = PnL / margin at the mark, effective
    /// leverage = notional / equity; `pnlTimesLeverage`/`unrealizedPnlAndLeverage`: PnL% × leverage when in profit,
    /// PnL% ÷ leverage otherwise; `pnlTimesMarginRatio`: PnL% × maintenance ÷ equity; `pseudoRandom`: a seeded draw.
    mutating func rank(side: PositionSide, mark: Price) {
        var keyed: [(Double, Int32)] = []
        let m = Double(mark.raw)
        for i in 0..<accounts.count where accounts.sizes[i] > 0 && accounts.side(i) == side {
            let size = Double(accounts.sizes[i])
            let entry = Double(accounts.entries[i])
            let margin = Swift.max(1, Double(accounts.margins[i]))
            let pnl = (side == .long ? m - entry : entry - m) * size / 1e8
            let equity = margin + pnl
            let notional = size * m / 1e8
            let pnlPercent = pnl / margin
            let leverage = equity > 0 ? notional / equity : 1e9
            let key: Double
            switch scenario.profile.autoDeleveraging.ranking {
            case .pnlTimesLeverage, .unrealizedPnlAndLeverage, .socializeProRata:
                key = pnl > 0 ? pnlPercent * leverage : pnlPercent / Swift.max(leverage, 1e-9)
            case .pnlTimesMarginRatio:
                let mm =
                    (try? scenario.profile.maintenanceMargin(
                        size: Quantity(raw: accounts.sizes[i]),
                        price: mark,
                        market: scenario.market
                    )).map { Double($0.raw) } ?? 0
                key = pnlPercent * (equity > 0 ? mm / equity : 1e9)
            case .pseudoRandom:
                key = random.nextUnit()
            }
            keyed.append((key, Int32(i)))
        }
        keyed.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        ranking = keyed.map(\.1)
        rankingCursor = 0
        rankingSide = side
    }

    /// Closes `close` of account `i` at its bankruptcy price against the ranked opposite side (no market impact);
    /// whatever the opposite side cannot absorb is sold into the liquidity with the loss socialized.
    mutating func autoDeleverage(_ i: Int, close: Int64, mark: Price) throws(LabError) -> MoneySum {
        let long = isLong(i)
        let opposite: PositionSide = long ? .short : .long
        let bankruptcy: Price
        let share: Money
        do {
            let size = accounts.sizes[i]
            let margin = Money(raw: accounts.margins[i])
            share =
                close == size
                ? margin
                : Money(
                    raw: try FixedMath.narrow(
                        try FixedMath.multiplyDivide(margin.wide, Int128(close), Int128(size), rounding: .down),
                        field: "margin share"
                    )
                )
            let basis = try Quantity(raw: close).notional(
                at: Price(raw: accounts.entries[i]),
                rounding: long ? .up : .down
            )
            // Bankruptcy price: the close leaves the closed part's equity at zero. Long: (basis − share) / close
            // rounded up; short: (basis + share) / close rounded down — both leave equity ≥ 0 (no deficit), the
            // counterparty bears the sub-unit.
            let target = long ? try basis.subtracting(share) : try basis.adding(share)
            bankruptcy = Price(
                raw: Swift.max(1, try target.divided(by: Quantity(raw: close), rounding: long ? .up : .down).raw)
            )
        } catch {
            throw LabError(field: "ADL of account \(i)", error)
        }
        // The ranking is rebuilt when the side changes or the mark has moved by 0.5 % or more since it was built
        // (ranks move with the mark; in between, closed or reduced accounts are skipped as the cursor passes them).
        // Rebuilding on every step costs O(n log n) per step and dominated million-account runs.
        let moved = Swift.abs(Double(mark.raw) - Double(rankingMark)) >= 0.005 * Double(Swift.max(1, rankingMark))
        if rankingSide != opposite || rankingStep < 0 || moved
            || (rankingCursor >= ranking.count && rankingStep != currentStep)
        {
            rank(side: opposite, mark: mark)
            rankingStep = currentStep
            rankingMark = mark.raw
        }
        var remaining = close
        var notional = MoneySum()
        while remaining > 0 && rankingCursor < ranking.count {
            let j = Int(ranking[rankingCursor])
            guard accounts.sizes[j] > 0, j != i else {
                rankingCursor += 1
                continue
            }
            let take = Swift.min(remaining, accounts.sizes[j])
            do {
                let value = try Quantity(raw: take).notional(at: bankruptcy, rounding: .halfEven)
                let (shareJ, equityJ) = try settlement(j, close: take, value: value)
                if equityJ.isNegative { metrics.badDebt += Money(raw: -equityJ.raw) }
                notional += value
                accounts.flags[j] |= AccountBook.flagDeleveraged
                applyClose(j, close: take, share: shareJ, residual: equityJ)
            } catch {
                throw LabError(field: "ADL counterparty \(j)", error)
            }
            remaining -= take
            if accounts.sizes[j] == 0 { rankingCursor += 1 }
        }
        let absorbed = close - remaining
        if absorbed > 0 {
            do {
                let value = try Quantity(raw: absorbed).notional(at: bankruptcy, rounding: .halfEven)
                let (_, equity) = try settlement(i, close: absorbed, value: value)
                let partShare =
                    absorbed == close
                    ? share
                    : Money(
                        raw: try FixedMath.narrow(
                            try FixedMath.multiplyDivide(share.wide, Int128(absorbed), Int128(close), rounding: .down),
                            field: "margin share"
                        )
                    )
                metrics.adlNotional += value
                accounts.flags[i] |= AccountBook.flagLiquidated
                metrics.liquidatedNotional += value
                applyClose(i, close: absorbed, share: partShare, residual: equity)
            } catch {
                throw LabError(field: "ADL of account \(i)", error)
            }
        }
        if remaining > 0 && accounts.sizes[i] > 0 {
            // Nobody left to deleverage: sell the rest into the liquidity; the deficit is socialized.
            let fill = try liquidity.trade(Quantity(raw: remaining), mid: mark, isSell: long, commit: scenario.feedback)
            if fill.quantity.isPositive {
                do {
                    let (shareRest, equity) = try settlement(i, close: fill.quantity.raw, value: fill.notional)
                    if equity.isNegative {
                        let deficit = -equity.raw
                        metrics.badDebt += Money(raw: deficit)
                        let covered = Swift.min(deficit, insurance)
                        insurance -= covered
                        metrics.socializedLoss += Money(raw: deficit - covered)
                        metrics.insuranceDepleted = true
                        metrics.insuranceMinimum = Money.minimum(metrics.insuranceMinimum, Money(raw: insurance))
                    }
                    metrics.liquidatedNotional += fill.notional
                    notional += fill.notional
                    accounts.flags[i] |= AccountBook.flagLiquidated
                    applyClose(i, close: fill.quantity.raw, share: shareRest, residual: equity)
                } catch {
                    throw LabError(field: "socialized close of account \(i)", error)
                }
            }
        }
        return notional
    }

    /// Liquidation hunters: when the long liquidation notional within `hunterReach` below the traded price is at
    /// least `hunterTriggerMultiple × hunterCapital`, sell `hunterCapital` worth into the book and buy back later.
    mutating func hunt(traded: Price, fundamental: Price, step: Int) throws(LabError) {
        let agents = scenario.agents
        guard agents.hunterCapital > 0 else { return }
        let top = bucket(of: traded.raw)
        let low = bucket(of: try price(traded, times: 1 - agents.hunterReach).raw)
        var cluster = 0.0
        if top <= low { for b in top...low { cluster += histogram[b] } }
        guard cluster >= agents.hunterTriggerMultiple * agents.hunterCapital else { return }
        let quantity = Int64((agents.hunterCapital / (Double(traded.raw) / 1e8) * 1e8).rounded(.down))
        guard quantity > 0 else { return }
        let fill = try liquidity.trade(Quantity(raw: quantity), mid: fundamental, isSell: true, commit: true)
        hunterHolding = fill.quantity.raw
        hunterBuyStep = step + agents.hunterHoldSteps
        metrics.hunterAttacks += 1
    }

    /// Deleveraging agents cut `deleverageFraction` of their positions (once, when volatility first crosses the
    /// trigger); longs' sells and shorts' buys go to the liquidity as two aggregate orders and each account
    /// settles at its side's average price.
    mutating func deleverage(fundamental: Price, feedback: Bool) throws(LabError) {
        let fraction = scenario.agents.deleverageFraction
        let step = scenario.market.stepSize.isPositive ? scenario.market.stepSize.raw : 1
        var cuts: [(Int, Int64)] = []
        var sells: Int64 = 0
        var buys: Int64 = 0
        for i in 0..<accounts.count
        where accounts.flags[i] & AccountBook.flagDeleverager != 0 && accounts.sizes[i] > 0 && !queued[i] {
            let size = accounts.sizes[i]
            var cut = Int64((Double(size) * fraction).rounded(.up))
            cut = Swift.min(size, ((cut + step - 1) / step) * step)  // rounded up to the step, at most the size
            guard cut > 0 else { continue }
            cuts.append((i, cut))
            if isLong(i) { sells += cut } else { buys += cut }
        }
        guard !cuts.isEmpty else { return }
        let sellFill = try liquidity.trade(Quantity(raw: sells), mid: fundamental, isSell: true, commit: feedback)
        let buyFill = try liquidity.trade(Quantity(raw: buys), mid: fundamental, isSell: false, commit: feedback)
        // Average prices: half-even statistics used to allocate each side's aggregate fill.
        let sellAverage = sellFill.averagePrice ?? fundamental
        let buyAverage = buyFill.averagePrice ?? fundamental
        for (i, cut) in cuts {
            let long = isLong(i)
            do {
                let value = try Quantity(raw: cut).notional(
                    at: long ? sellAverage : buyAverage,
                    rounding: long ? .down : .up
                )
                let (share, equity) = try settlement(i, close: cut, value: value)
                if equity.isNegative { metrics.badDebt += Money(raw: -equity.raw) }
                accounts.flags[i] |= AccountBook.flagHasCut
                applyClose(i, close: cut, share: share, residual: equity)
            } catch {
                throw LabError(field: "deleveraging of account \(i)", error)
            }
            metrics.deleveragedAgents += 1
        }
    }
}
