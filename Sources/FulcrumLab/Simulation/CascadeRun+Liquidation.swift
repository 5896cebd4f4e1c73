import FulcrumCore
import FulcrumEngine

/// Detection (the lab's frontier), the keeper queue, and clearing through `FulcrumEngine`.
extension CascadeRun {
    /// Transient flag: the account is in ``touched`` this step (cleared before the step ends).
    static let flagTouched: UInt8 = 64

    func isLong(_ i: Int) -> Bool { accounts.flags[i] & AccountBook.flagLong != 0 }

    /// Whether the engine's position of account `i` is under maintenance at `price`, by the profile's test on the
    /// engine's own numbers (size, open notional, margin pool) — the test the frontier was searched on.
    func liquidatable(_ i: Int, at price: Price) -> Bool {
        let position = clearing.position(of: i)
        guard position.isOpen else { return false }
        return LiquidationThreshold.isLiquidatable(
            side: position.size.isNegative ? .short : .long,
            size: position.size.magnitude,
            cost: position.cost.magnitude,
            margin: clearing.margin(of: i, position: position),
            price: price,
            profile: scenario.profile,
            market: scenario.market
        )
    }

    /// Copies account `i`'s position from the engine into the lab's arrays and re-indexes its liquidation price
    /// when it changed (or always, with `force`: the account's frontier entry was popped).
    mutating func resync(_ i: Int, force: Bool) {
        let position = clearing.position(of: i)
        let size = position.size.magnitude.raw
        let margin = clearing.margin(of: i, position: position).raw
        guard force || size != accounts.sizes[i] || margin != accounts.margins[i] else { return }
        addToHistogram(i, sign: -1)
        accounts.sizes[i] = size
        accounts.margins[i] = margin
        guard size > 0 else {
            accounts.liquidationPrices[i] = 0
            return
        }
        let cost = position.cost.magnitude
        // `entries` is not rewritten (nothing in the run reads it; the engine's cost is the truth), so the run keeps
        // sharing the population's array instead of copying 8 bytes per account.
        let liq = LiquidationThreshold.price(
            side: position.size.isNegative ? .short : .long,
            size: Quantity(raw: size),
            cost: cost,
            margin: Money(raw: margin),
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

    /// Takes the ready accounts off the keeper queue in FIFO order, at most the keeper's throughput, and clears
    /// them through the engine in one targeted call (the engine clears a batch in account order, as its sweep).
    mutating func execute(oracle: Price, mark: Price, fundamental: Price, step: Int) throws(LabError) -> (Int, MoneySum)
    {
        batch.removeAll(keepingCapacity: true)
        while queueHead < queue.count && batch.count < scenario.keeper.maxLiquidationsPerStep {
            guard Int(queueReady[queueHead]) <= step else { break }
            let i = Int(queue[queueHead])
            queueHead += 1
            queued[i] = false
            guard accounts.sizes[i] > 0 else { continue }
            batch.append(EngineClearing.account(i))
        }
        if queueHead > 4_096 && queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueReady.removeFirst(queueHead)
            queueHead = 0
        }
        guard !batch.isEmpty else { return (0, MoneySum()) }
        effects.removeAll(keepingCapacity: true)
        try clearing.setPrices(index: oracle, mark: mark, effects: &effects)
        effects.removeAll(keepingCapacity: true)
        var executor = BookExecutor(
            liquidity: LiquidityState(),
            mid: fundamental,
            commit: scenario.feedback,
            counterparty: EngineClearing.house
        )
        // The liquidity is lent to the executor for the call and taken back after it: a copy would share the book's
        // arrays with the run, and the first trade would copy them all.
        swap(&executor.liquidity, &liquidity)
        do {
            try clearing.engine.liquidate(accounts: batch, executor: &executor, effects: &effects)
        } catch {
            swap(&executor.liquidity, &liquidity)
            throw LabError("engine liquidation at step \(currentStep): \(error)")
        }
        swap(&executor.liquidity, &liquidity)
        if let failure = executor.failure { throw failure }
        metrics.worstSlippage = Swift.max(metrics.worstSlippage, executor.worstSlippage)
        // Every listed account's frontier entry was popped: re-index it whatever the engine did.
        for id in batch { markTouched(id) }
        let result = try account(effects: effects)
        for i in touched {
            accounts.flags[Int(i)] &= ~Self.flagTouched
            resync(Int(i), force: true)
        }
        touched.removeAll(keepingCapacity: true)
        return result
    }

    /// Adds lab account `id` (if it is one) to ``touched`` once.
    mutating func markTouched(_ id: AccountID?) {
        guard let i = EngineClearing.labAccount(id) else { return }
        markTouched(lab: i)
    }

    /// Adds lab account index `i` to ``touched`` once.
    mutating func markTouched(lab i: Int) {
        guard accounts.flags[i] & Self.flagTouched == 0 else { return }
        accounts.flags[i] |= Self.flagTouched
        touched.append(Int32(i))
    }

    /// Adds every lab account with an open position to ``touched`` (each once): O(accounts).
    mutating func markHoldersTouched() {
        for i in accounts.sizes.indices where accounts.sizes[i] > 0 { markTouched(lab: i) }
    }

    /// Reads one engine call's effects into the metrics and flags (liquidated, auto-deleveraged), collects every
    /// lab account they touched in ``touched``, and refreshes the insurance fund. Returns the number of
    /// liquidation orders (a book fill, or one ADL of one order) and the fill notional.
    mutating func account(effects: [Effect]) throws(LabError) -> (Int, MoneySum) {
        var count = 0
        var notional = MoneySum()
        var lastADL: AccountID?
        var covered = false
        var socialized = false
        for effect in effects {
            markTouched(effect.account)
            markTouched(effect.counterparty)
            let value: Money
            do {
                value = try effect.size.magnitude.notional(at: effect.price, rounding: .halfEven)
            } catch {
                throw LabError(field: "engine effect notional", error)
            }
            if effect.kind != .autoDeleverage { lastADL = nil }
            switch effect.kind {
            case .liquidationFill:
                count += 1
                notional += value
                if let i = EngineClearing.labAccount(effect.account) { accounts.flags[i] |= AccountBook.flagLiquidated }
            case .insuranceCover:
                covered = true
                metrics.badDebt += Money(raw: -effect.insuranceDelta.raw)
            case .badDebt, .socializedLoss:
                // A socialized loss charged every open position of the market (one market-wide effect).
                if effect.kind == .socializedLoss { socialized = true }
                metrics.badDebt += effect.amount
                metrics.socializedLoss += effect.amount
                metrics.insuranceDepleted = true
            case .autoDeleverage:
                if lastADL != effect.account { count += 1 }
                lastADL = effect.account
                metrics.adlNotional += value
                metrics.insuranceDepleted = true
                if let j = EngineClearing.labAccount(effect.counterparty) {
                    accounts.flags[j] |= AccountBook.flagDeleveraged
                }
                if let i = EngineClearing.labAccount(effect.account) { accounts.flags[i] |= AccountBook.flagLiquidated }
            default:
                break
            }
        }
        if socialized { markHoldersTouched() }  // once per call, however many losses were socialized
        let fund = clearing.engine.insuranceFunds[clearing.engine.insuranceFundIndex(for: clearing.market)]
        insurance = fund.raw
        if covered && !fund.isPositive { metrics.insuranceDepleted = true }
        metrics.insuranceMinimum = Money.minimum(metrics.insuranceMinimum, fund)
        metrics.liquidations += count
        metrics.liquidatedNotional = metrics.liquidatedNotional + notional
        return (count, notional)
    }
}
