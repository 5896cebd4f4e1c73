import FulcrumCore

/// Detection, execution and settlement of liquidations.
extension CascadeRun {
    func isLong(_ i: Int) -> Bool { accounts.flags[i] & AccountBook.flagLong != 0 }

    func liquidatable(_ i: Int, at price: Price) -> Bool {
        LiquidationThreshold.isLiquidatable(
            side: accounts.side(i),
            size: Quantity(raw: accounts.sizes[i]),
            entry: Price(raw: accounts.entries[i]),
            margin: Money(raw: accounts.margins[i]),
            price: price,
            profile: scenario.profile,
            market: scenario.market
        )
    }

    /// Recomputes account `i`'s liquidation price after a change and re-indexes it.
    mutating func reindex(_ i: Int) {
        addToHistogram(i, sign: -1)
        guard accounts.sizes[i] > 0 else {
            accounts.liquidationPrices[i] = 0
            return
        }
        let liq = LiquidationThreshold.price(
            side: accounts.side(i),
            size: Quantity(raw: accounts.sizes[i]),
            entry: Price(raw: accounts.entries[i]),
            margin: Money(raw: accounts.margins[i]),
            profile: scenario.profile,
            market: scenario.market
        )
        accounts.liquidationPrices[i] = liq?.raw ?? 0
        addToHistogram(i, sign: 1)
        frontier.push(id: i, key: accounts.liquidationPrices[i], isLong: isLong(i))
    }

    /// Pops the crossed frontier at `mark` and queues every account the profile's test confirms.
    mutating func detect(mark: Price, step: Int) {
        crossed.removeAll(keepingCapacity: true)
        frontier.popCrossed(longsAtOrBelow: mark.raw, into: &crossed)
        frontier.popCrossed(shortsAtOrAbove: mark.raw, into: &crossed)
        for entry in crossed {
            let i = Int(entry.id)
            guard accounts.sizes[i] > 0, accounts.liquidationPrices[i] == entry.key, !queued[i] else { continue }
            if liquidatable(i, at: mark) {
                queued[i] = true
                queue.append(entry.id)
                queueReady.append(Int32(step + scenario.keeper.latencySteps))
            } else {
                // Sub-unit rounding made the test pass a raw unit away from the searched price: nudge the key.
                let long = isLong(i)
                accounts.liquidationPrices[i] = entry.key + (long ? -1 : 1)
                frontier.push(id: i, key: accounts.liquidationPrices[i], isLong: long)
            }
        }
    }

    /// Executes queued liquidations in FIFO order, at most the keeper throughput.
    mutating func execute(mark: Price, fundamental: Price, step: Int) throws(LabError) -> (Int, MoneySum) {
        var done = 0
        var notional = MoneySum()
        while queueHead < queue.count && done < scenario.keeper.maxLiquidationsPerStep {
            guard Int(queueReady[queueHead]) <= step else { break }
            let i = Int(queue[queueHead])
            queueHead += 1
            queued[i] = false
            guard accounts.sizes[i] > 0 else { continue }
            guard liquidatable(i, at: mark) else {
                frontier.push(id: i, key: accounts.liquidationPrices[i], isLong: isLong(i))
                continue
            }
            notional = notional + (try liquidate(i, mark: mark, fundamental: fundamental))
            done += 1
        }
        if queueHead > 4_096 && queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueReady.removeFirst(queueHead)
            queueHead = 0
        }
        metrics.liquidations += done
        return (done, notional)
    }

    /// The settlement of closing `close` of account `i` for quote `value` (proceeds of a long's sell, cost of a
    /// short's buy): the margin share of the closed part (rounded down: the closed part carries no more margin
    /// than its share, so deficits are not understated), its PnL (cost basis rounded against the trader), and the
    /// equity left `margin share + PnL`.
    func settlement(_ i: Int, close: Int64, value: Money) throws(ArithmeticError) -> (share: Money, equity: Money) {
        let size = accounts.sizes[i]
        let margin = Money(raw: accounts.margins[i])
        let share =
            close == size
            ? margin
            : Money(
                raw: try FixedMath.narrow(
                    try FixedMath.multiplyDivide(margin.wide, Int128(close), Int128(size), rounding: .down),
                    field: "margin share"
                )
            )
        let closed = Quantity(raw: close)
        let entry = Price(raw: accounts.entries[i])
        let pnl: Money
        if isLong(i) {
            pnl = try value.subtracting(try closed.notional(at: entry, rounding: .up))
        } else {
            pnl = try closed.notional(at: entry, rounding: .down).subtracting(value)
        }
        return (share, try share.adding(pnl))
    }

    /// Applies a close of `close` base to account `i` whose closed part left `residual` (≥ 0 kept by the account).
    mutating func applyClose(_ i: Int, close: Int64, share: Money, residual: Money) {
        addToHistogram(i, sign: -1)
        accounts.sizes[i] -= close
        if accounts.sizes[i] == 0 {
            accounts.margins[i] = 0
            accounts.liquidationPrices[i] = 0
        } else {
            accounts.margins[i] = accounts.margins[i] - share.raw + Swift.max(0, residual.raw)
            addToHistogram(i, sign: 1)  // re-added with the old key; reindex removes it again
            reindex(i)
        }
    }

    /// Liquidates account `i` once: size from the profile's procedure, fill from the liquidity (or ADL when the
    /// deficit exceeds the insurance fund), fee and deficit through the insurance fund. Returns the fill notional.
    mutating func liquidate(_ i: Int, mark: Price, fundamental: Price) throws(LabError) -> MoneySum {
        let long = isLong(i)
        let size = Quantity(raw: accounts.sizes[i])
        var close: Quantity
        do {
            close = try LiquidationSizing.closeSize(
                size: size,
                price: mark,
                profile: scenario.profile,
                market: scenario.market
            )
        } catch {
            throw LabError(field: "liquidation size of account \(i)", error)
        }
        var fill = try liquidity.trade(close, mid: fundamental, isSell: long, commit: false)
        if fill.quantity.isZero {
            // No liquidity left at all: the position goes to ADL (or stays for the next step without ADL).
            if adlEnabled { return try autoDeleverage(i, close: close.raw, mark: mark) }
            frontier.push(id: i, key: accounts.liquidationPrices[i], isLong: long)
            return MoneySum()
        }
        close = fill.quantity  // the book ran out: close what filled, the rest waits for the next step
        let fee: Money
        let share: Money
        let equity: Money
        do {
            (share, equity) = try settlement(i, close: close.raw, value: fill.notional)
            var f = try fill.notional.times(scenario.profile.liquidationFee.rate, rounding: .up)  // favours the venue
            if scenario.profile.liquidationFee.cappedAtRemainingMargin {
                f = Money.minimum(f, Money.maximum(.zero, equity))
            }
            fee = f
        } catch {
            throw LabError(field: "liquidation of account \(i)", error)
        }
        let residual = equity - fee  // both bounded by the account's notional: no overflow
        // The fund cannot cover this deficit: it is depleted whether ADL or socialization takes the rest.
        if residual.isNegative && -residual.raw > insurance { metrics.insuranceDepleted = true }
        if residual.isNegative && -residual.raw > insurance && adlEnabled {
            return try autoDeleverage(i, close: close.raw, mark: mark)
        }
        if scenario.feedback { fill = try liquidity.trade(close, mid: fundamental, isSell: long, commit: true) }
        if scenario.profile.liquidationFee.recipient == .insuranceFund { insurance += fee.raw }
        if residual.isNegative {
            let deficit = -residual.raw
            metrics.badDebt += Money(raw: deficit)
            let covered = Swift.min(deficit, insurance)
            insurance -= covered
            if covered < deficit {
                metrics.socializedLoss += Money(raw: deficit - covered)
                metrics.insuranceDepleted = true
            }
            if insurance == 0 { metrics.insuranceDepleted = true }
            metrics.insuranceMinimum = Money.minimum(metrics.insuranceMinimum, Money(raw: insurance))
        }
        if let average = fill.averagePrice, mark.isPositive {
            let slip =
                long
                ? Double(mark.raw - average.raw) / Double(mark.raw) : Double(average.raw - mark.raw) / Double(mark.raw)
            metrics.worstSlippage = Swift.max(metrics.worstSlippage, slip)
        }
        metrics.liquidatedNotional += fill.notional
        accounts.flags[i] |= AccountBook.flagLiquidated
        applyClose(i, close: close.raw, share: share, residual: residual)
        return MoneySum(fill.notional)
    }
}
