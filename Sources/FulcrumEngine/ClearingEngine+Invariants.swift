import FulcrumCore

/// Whole-state invariants, recomputed from scratch (tests call this after every event; replay with
/// `--check-invariants`).
extension ClearingEngine {
    /// Checks, exactly:
    /// 1. conservation: `Σ (wallet + isolated margin − cost) + Σ insurance funds + fee pool
    ///    == deposits − withdrawals + bad debt`;
    /// 2. per market, long open interest == short open interest == the sums over positions;
    /// 3. insurance funds and the fee pool are non-negative; flat positions carry no cost or isolated margin; each
    ///    account's open-position counter matches its positions;
    /// 4. no account without open positions has a negative wallet, and — when no sweep is pending — no
    ///    account other than the backstop has negative equity in any margin pool (at trigger prices).
    ///
    /// - Throws: ``EngineError/Code/invariantViolated`` naming the broken invariant and the values.
    public func checkInvariants() throws(EngineError) {
        do { try verify() } catch { throw Self.engineError(error, context: "invariant check") }
    }

    private func verify() throws {
        let count = markets.count
        var holdings: Int128 = 0
        var longs = [Int128](repeating: 0, count: count)
        var shorts = [Int128](repeating: 0, count: count)
        for account in 0..<balances.count {
            holdings += balances[account].wide
            var open = false
            var opens: Int32 = 0
            for market in 0..<count {
                let position = positions[account * count + market]
                holdings += position.isolatedMargin.wide - position.cost.wide
                if position.size.raw > 0 { longs[market] += position.size.wide }
                if position.size.raw < 0 { shorts[market] -= position.size.wide }
                if position.size.raw == 0 {
                    guard position.cost.raw == 0, position.isolatedMargin.raw == 0 else {
                        throw violation(
                            "flat position of account \(account) in market \(market) has cost \(position.cost) "
                                + "and isolated margin \(position.isolatedMargin)"
                        )
                    }
                } else {
                    open = true
                    opens += 1
                }
            }
            guard opens == openPositionCounts[account] else {
                throw violation(
                    "account \(account) has \(opens) open positions but the counter says \(openPositionCounts[account])"
                )
            }
            if account == configuration.backstopAccount.index { continue }
            if !open {
                guard balances[account].raw >= 0 else {
                    throw violation("account \(account) has no positions and a negative wallet \(balances[account])")
                }
            } else if !sweepPending {
                let cross = try crossMetrics(account, initial: false, requirements: false)
                guard cross.equity >= 0 else {
                    throw violation(
                        "account \(account) has negative cross equity \(format(cross.equity)) after a sweep"
                    )
                }
                for market in 0..<count where positions[account * count + market].mode == .isolated {
                    let iso = try isolatedMetrics(account, market, initial: false, requirements: false)
                    guard iso.openPositions == 0 || iso.equity >= 0 else {
                        throw violation(
                            "account \(account) has negative isolated equity \(format(iso.equity)) in market \(market)"
                        )
                    }
                }
            }
        }
        for fund in insuranceFunds {
            guard fund.raw >= 0 else { throw violation("insurance fund \(fund) is negative") }
            holdings += fund.wide
        }
        guard feePool.raw >= 0 else { throw violation("fee pool \(feePool) is negative") }
        holdings += feePool.wide
        let expected = totalDeposits.raw - totalWithdrawals.raw + badDebt.raw
        guard holdings == expected else {
            throw violation(
                "conservation: holdings \(format(holdings)) != deposits − withdrawals + bad debt \(format(expected))"
            )
        }
        for market in 0..<count {
            let state = markets[market]
            guard longs[market] == shorts[market], state.longOpenInterest.wide == longs[market],
                state.shortOpenInterest.wide == shorts[market]
            else {
                throw violation(
                    "open interest of market \(market): long \(state.longOpenInterest) short \(state.shortOpenInterest), "
                        + "positions long \(Quantity(raw: Int64(truncatingIfNeeded: longs[market]))) "
                        + "short \(Quantity(raw: Int64(truncatingIfNeeded: shorts[market])))"
                )
            }
        }
    }

    private func violation(_ message: String) -> EngineError { EngineError(.invariantViolated, message) }
}
