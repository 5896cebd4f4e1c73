import FulcrumCore

/// One socialized-loss charge (Drift's loss rule, see `ClearingEngine` socialization): every open position of
/// `market` but `excluding`'s pays ``ClearingEngine/socializedShare(rate:size:)`` = `⌈rate·|size| / 10⁸⌉` (rounded
/// **up**, against the payer) from its margin pool: the wallet when cross, the isolated margin otherwise.
///
/// The passes work on the engine's arrays borrowed once (`balances` by account, `positions` account-major with
/// `marketCount` markets per account), journal nothing and check no uniqueness per write; the engine journals the
/// pools first when it records.
struct SocializedCharge {
    /// Δ per unit of base, raw 10⁻⁸.
    let rate: UInt64
    /// The market whose positions pay.
    let market: Int
    /// Markets per account (the stride of `positions`).
    let marketCount: Int
    /// The bankrupt account, which does not pay (`-1`: none).
    let excluding: Int

    /// Charges every payer: the branch-free pass (``applyBranchFree(balances:positions:)``), or, when it declines,
    /// the pass that stops at the first overflow (``applyStopping(balances:positions:)``). Returns the sum of the
    /// charges and the account where the stopping pass stopped, if it did (the accounts before it are charged;
    /// ``refund(below:balances:positions:)`` gives it back).
    func apply(balances: inout [Money], positions: inout [Position]) -> (charged: Int128, stoppedAt: Int?) {
        if let charged = applyBranchFree(balances: &balances, positions: &positions) { return (charged, nil) }
        return applyStopping(balances: &balances, positions: &positions)
    }

    /// The common case of ``applyStopping(balances:positions:)``, without a branch per account: every account's
    /// share is computed (zero for a flat position or `excluding`) and subtracted from both of its pools, the one
    /// that does not pay taking zero, so the pass does not stall on the unpredictable holder / cross / isolated tests
    /// (which cost more than the arithmetic: measured 16 → 10 s for the 100,000-account Drift stress run). Returns
    /// the sum of the charges, or `nil` with every pool exactly as before (the pass is undone with the inverse
    /// wrapping additions) when any product `rate·size` leaves 64 bits or any pool would overflow; the stopping pass
    /// then runs, so results, errors and their messages are that pass's in every case.
    ///
    /// - Complexity: O(accounts), two linear passes at worst; no allocation.
    func applyBranchFree(balances: inout [Money], positions: inout [Position]) -> Int128? {
        let (rate, market, marketCount, excluding) = (rate, market, marketCount, excluding)
        return balances.withUnsafeMutableBufferPointer { balances in
            positions.withUnsafeMutableBufferPointer { positions in
                // ⌈rate·size / 10⁸⌉ when the product fits 64 bits (then the share is below 2⁶⁴/10⁸: it fits an
                // Int64), zero for `excluding`; `cross` routes it to the wallet, `1 − cross` to the isolated margin.
                @inline(__always)
                func share(_ account: Int, _ index: Int) -> (share: Int64, cross: Int64, overflow: Bool) {
                    let size = positions[index].size.raw.magnitude
                    let (product, overflow) = rate.multipliedReportingOverflow(by: size)
                    let (quotient, remainder) = product.quotientAndRemainder(dividingBy: 100_000_000)
                    let ceiling = Int64(truncatingIfNeeded: quotient &+ (remainder != 0 ? 1 : 0))
                    let cross: Int64 = positions[index].mode == .cross ? 1 : 0
                    let excluded = account == excluding
                    return (excluded ? 0 : ceiling, cross, overflow && !excluded)
                }
                var charged: Int128 = 0
                var failed = false
                var index = market
                for account in 0..<balances.count {
                    let (amount, cross, overflow) = share(account, index)
                    let (wallet, walletOverflow) = balances[account].raw.subtractingReportingOverflow(amount &* cross)
                    let (isolated, isolatedOverflow) = positions[index].isolatedMargin.raw
                        .subtractingReportingOverflow(amount &* (1 &- cross))
                    balances[account] = Money(raw: wallet)
                    positions[index].isolatedMargin = Money(raw: isolated)
                    failed = failed || overflow || walletOverflow || isolatedOverflow
                    charged &+= Int128(amount)  // below 2³² accounts × 2³⁷: cannot wrap
                    index &+= marketCount
                }
                guard failed else { return charged }
                // Undo: the wrapping subtractions above are inverted exactly by wrapping additions of the same shares.
                index = market
                for account in 0..<balances.count {
                    let (amount, cross, _) = share(account, index)
                    balances[account] = Money(raw: balances[account].raw &+ amount &* cross)
                    positions[index].isolatedMargin = Money(
                        raw: positions[index].isolatedMargin.raw &+ amount &* (1 &- cross)
                    )
                    index &+= marketCount
                }
                return nil
            }
        }
    }

    /// The pass that stops at the first account whose share or pool would overflow: returns the sum of the charges
    /// and, when it stops, that account (the accounts before it are charged). O(accounts), no allocation.
    func applyStopping(balances: inout [Money], positions: inout [Position]) -> (charged: Int128, stoppedAt: Int?) {
        let (rate, market, marketCount, excluding) = (rate, market, marketCount, excluding)
        return balances.withUnsafeMutableBufferPointer { balances in
            positions.withUnsafeMutableBufferPointer { positions in
                var charged: Int128 = 0
                var index = market
                for account in 0..<balances.count {
                    defer { index &+= marketCount }
                    let size = positions[index].size.raw.magnitude
                    guard size != 0, account != excluding else { continue }
                    guard let share = try? ClearingEngine.socializedShare(rate: rate, size: size) else {
                        return (charged, account)
                    }
                    if positions[index].mode == .cross {
                        let (after, overflow) = balances[account].raw.subtractingReportingOverflow(share)
                        guard !overflow else { return (charged, account) }
                        balances[account] = Money(raw: after)
                    } else {
                        let (after, overflow) = positions[index].isolatedMargin.raw.subtractingReportingOverflow(share)
                        guard !overflow else { return (charged, account) }
                        positions[index].isolatedMargin = Money(raw: after)
                    }
                    charged &+= Int128(share)  // below 2³² accounts × 2⁶³: cannot wrap
                }
                return (charged, nil)
            }
        }
    }

    /// Gives back exactly the charges of this charge to the accounts below `below` (each refund adds back the share
    /// it subtracted, so it cannot overflow).
    func refund(below: Int, balances: inout [Money], positions: inout [Position]) {
        for account in 0..<below where account != excluding {
            let index = account * marketCount + market
            let size = positions[index].size.raw.magnitude
            guard size != 0, let share = try? ClearingEngine.socializedShare(rate: rate, size: size) else { continue }
            if positions[index].mode == .cross {
                balances[account] = Money(raw: balances[account].raw + share)
            } else {
                positions[index].isolatedMargin = Money(raw: positions[index].isolatedMargin.raw + share)
            }
        }
    }
}
