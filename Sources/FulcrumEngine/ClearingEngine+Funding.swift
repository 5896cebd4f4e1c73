import FulcrumCore

/// Funding: one payment per event, settled eagerly for every open position of the market.
extension ClearingEngine {
    /// Applies one funding payment to `market`.
    ///
    /// `Δ = rule.indexDelta(inputs, basisPrice)` (basis: mark or oracle per the profile); the market's
    /// cumulative index rises by `Δ`; every open position is paid `−Δ · size` rounded **down**
    /// (``FundingMath/payment(indexDelta:size:)``: payers pay the ceiling, receivers get the floor), into its
    /// margin pool. Because long and short open interest are equal, the payments sum to `−dust ≤ 0`; the dust
    /// goes to the fee pool, so no money is created and the total is conserved to the unit. Inverse markets pay in
    /// coin: `−size · cv · Δ / basis²` per position (the coin value `size · cv / basis` times the rate
    /// `Δ / basis`), rounded down the same way.
    mutating func applyFunding(_ market: MarketID, _ inputs: FundingInputs, effects: inout [Effect]) throws {
        try requireMarket(market)
        let m = market.index
        let rule = profiles[m].funding
        let state = markets[m]
        let basis = rule.basis == .mark ? state.markPrice : state.indexPrice
        guard basis.isPositive else {
            throw EngineError(
                .invalidState,
                "market \(specs[m].symbol) has no \(rule.basis.rawValue) price for funding"
            )
        }
        let delta: Price
        do {
            delta = try rule.indexDelta(inputs, basisPrice: basis)
        } catch { throw EngineError(.invalidField, "funding inputs: \(error.message)") }
        let newIndex = try state.fundingIndex.adding(delta)
        // Two passes, so a rejected payment leaves the state unchanged without a copy-on-write snapshot of the
        // position and balance arrays (a snapshot would copy them on every funding event: 2+ allocations of O(N)).
        // Pass 1 computes every payment and checks every sum; pass 2 recomputes the same payments (same inputs,
        // so they cannot fail) and writes them.
        let (sum, paidByPayers) = try settleFunding(m, newIndex: newIndex, basis: basis, write: false)
        guard sum <= 0 else {
            throw EngineError(.invariantViolated, "funding payments sum to +\(format(sum)) (open interest unbalanced)")
        }
        let dust = Money(raw: try FixedMath.narrow(-sum, field: "funding dust"))
        let newFeePool = try feePool.adding(dust)
        let total = Money(raw: try FixedMath.narrow(paidByPayers, field: "funding total"))
        // Checked in pass 1: the same payments and the same sums.
        _ = try settleFunding(m, newIndex: newIndex, basis: basis, write: true)
        feePool = newFeePool
        markets[m].fundingIndex = newIndex
        sweepPending = true
        effects.append(
            Effect(
                kind: .funding,
                market: market,
                price: delta,
                amount: total,
                insuranceDelta: .zero
            )
        )
        if dust.raw != 0 { effects.append(Effect(kind: .fundingDust, market: market, amount: dust)) }
    }

    /// One pass over market `m`'s open positions: each one's funding payment to `newIndex` and its pool after it
    /// (checked for overflow); stored only when `write`. Returns the sum of the payments and what the payers paid.
    private mutating func settleFunding(
        _ m: Int,
        newIndex: Price,
        basis: Price,
        write: Bool
    ) throws -> (sum: Int128, paidByPayers: Int128) {
        var sum: Int128 = 0
        var paidByPayers: Int128 = 0
        let count = markets.count
        let contractValue = inverseContractValues[m]
        for account in 0..<balances.count {
            let index = account * count + m
            let position = positions[index]
            guard position.size.raw != 0 else { continue }
            let payment = try fundingPayment(position, newIndex: newIndex, contractValue: contractValue, basis: basis)
            if position.mode == .cross {
                let balance = try balances[account].adding(payment)
                if write { balances[account] = balance }
            } else {
                let margin = try position.isolatedMargin.adding(payment)
                if write { positions[index].isolatedMargin = margin }
            }
            if write { positions[index].fundingIndex = newIndex }
            sum += payment.wide
            if payment.raw < 0 { paidByPayers -= payment.wide }
        }
        return (sum, paidByPayers)
    }

    /// The funding payment of one open `position` when the market's index moves to `newIndex`, rounded **down**
    /// (payers pay the ceiling, receivers get the floor). Linear: ``FundingMath/payment(indexDelta:size:)``.
    /// Inverse (`contractValue ≠ 0`): the position's coin value times the rate, `−size · cv · Δ / basis²`
    /// (Δ = rate · basis).
    private func fundingPayment(
        _ position: Position,
        newIndex: Price,
        contractValue: Int64,
        basis: Price
    ) throws -> Money {
        let indexDelta = try newIndex.subtracting(position.fundingIndex)
        guard contractValue != 0 else {
            return try FundingMath.payment(indexDelta: indexDelta, size: position.size)
        }
        let raw = try FixedMath.multiplyDivide(
            -position.size.wide * Int128(contractValue),  // < 2¹²⁶: cannot overflow
            indexDelta.wide,
            basis.wide * basis.wide,  // < 2¹²⁶
            rounding: .down
        )
        return Money(raw: try FixedMath.narrow(raw, field: "funding payment"))
    }
}
