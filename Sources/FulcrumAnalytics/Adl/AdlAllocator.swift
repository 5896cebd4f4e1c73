public import FulcrumCore

/// Allocates a shortfall across winners under each ``AdlPolicy``, exactly: `Σ haircuts + uncovered = shortfall`
/// to the unit (10⁻⁸), with each haircut between zero and the candidate's PnL.
public enum AdlAllocator {
    /// Allocates `shortfall` (≥ 0) across `candidates` under `policy`.
    ///
    /// - Throws: ``AnalyticsError`` for a negative shortfall or arithmetic overflow.
    public static func allocate(
        _ candidates: [AdlCandidate],
        shortfall: Money,
        policy: AdlPolicy
    ) throws(AnalyticsError) -> AdlAllocation {
        guard !shortfall.isNegative else { throw AnalyticsError("shortfall \(shortfall) must not be negative") }
        do {
            let haircuts: [Int128]
            let capacity = candidates.reduce(Int128(0)) { $0 + $1.pnl.wide }  // Int128: no overflow for Int64 terms
            let target = min(shortfall.wide, capacity)
            switch policy {
            case .rankedPnlLeverage:
                haircuts = queue(
                    candidates,
                    target: target,
                    scores: try candidates.map { c throws(ArithmeticError) in
                        try c.pnlFraction().times(try c.effectiveLeverage(), rounding: .down)
                    }
                )
            case .rankedPnlMarginRatio:
                haircuts = queue(
                    candidates,
                    target: target,
                    scores: try candidates.map { c throws(ArithmeticError) in
                        try c.pnlFraction().times(try c.marginRatio(), rounding: .down)
                    }
                )
            case .proRata:
                haircuts = try proRata(candidates, target: target, capacity: capacity)
            case .leverageFirst:
                haircuts = try waterFill(candidates, target: target)
            }
            return try measure(candidates, policy: policy, shortfall: shortfall, haircuts: haircuts)
        } catch {
            throw AnalyticsError("adl \(policy.rawValue): \(error)")
        }
    }

    /// Queue: highest score first (ties: input order), each takes `min(remaining, pnl)`.
    static func queue(_ candidates: [AdlCandidate], target: Int128, scores: [Rate]) -> [Int128] {
        let order = candidates.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var haircuts = [Int128](repeating: 0, count: candidates.count)
        var remaining = target
        for index in order where remaining > 0 {
            let take = min(remaining, candidates[index].pnl.wide)
            haircuts[index] = take
            remaining -= take
        }
        return haircuts
    }

    /// Pro-rata `target × pnlᵢ ÷ U`, floored, then the leftover units go one each to the largest remainders
    /// (Hamilton's method; ties: input order). Flooring favours each winner; the leftover pass restores the total.
    static func proRata(
        _ candidates: [AdlCandidate],
        target: Int128,
        capacity: Int128
    ) throws(ArithmeticError)
        -> [Int128]
    {
        guard capacity > 0, target > 0 else { return [Int128](repeating: 0, count: candidates.count) }
        var haircuts: [Int128] = []
        var remainders: [Int128] = []
        haircuts.reserveCapacity(candidates.count)
        for c in candidates {
            let (product, overflow) = target.multipliedReportingOverflow(by: c.pnl.wide)
            guard !overflow else { throw ArithmeticError(.overflow, "pro-rata product for \(c.id) overflows") }
            let share = try FixedMath.divide(product, by: capacity, rounding: .down)  // favours the winner
            haircuts.append(share)
            remainders.append(product - share * capacity)
        }
        var leftover = target - haircuts.reduce(0, +)
        let order = candidates.indices.sorted {
            remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1
        }
        for index in order where leftover > 0 {
            haircuts[index] += 1  // leftover < count, and a positive remainder means share < pnl
            leftover -= 1
        }
        return haircuts
    }

    /// Water-filling on effective leverage λᵢ: at level ℓ an account above it closes the fraction `(λᵢ − ℓ)/λᵢ` of
    /// its position and gives up that fraction of its PnL, `hᵢ(ℓ) = ⌊pnlᵢ·(λᵢ − ℓ)/λᵢ⌋` (floor favours the winner).
    /// `H(ℓ) = Σ hᵢ(ℓ)` falls as ℓ rises; binary search finds the highest ℓ* (in 10⁻⁸ steps) with `H(ℓ*) ≥ target`,
    /// allocates `hᵢ(ℓ* + 10⁻⁸)` and hands the rest (at most `hᵢ(ℓ*) − hᵢ(ℓ*+10⁻⁸)` each) to the most levered first.
    static func waterFill(_ candidates: [AdlCandidate], target: Int128) throws(ArithmeticError) -> [Int128] {
        let leverages = try candidates.map { c throws(ArithmeticError) in try c.effectiveLeverage().raw }
        func haircut(_ index: Int, level: Int64) throws(ArithmeticError) -> Int128 {
            let lambda = leverages[index]
            if level <= 0 { return candidates[index].pnl.wide }
            if lambda <= level { return 0 }
            return try FixedMath.multiplyDivide(
                candidates[index].pnl.wide,
                Int128(lambda - level),
                Int128(lambda),
                rounding: .down  // favours the winner; the top-up pass below restores the exact total
            )
        }
        func total(_ level: Int64) throws(ArithmeticError) -> Int128 {
            var sum: Int128 = 0
            for index in candidates.indices { sum += try haircut(index, level: level) }
            return sum
        }
        guard target > 0 else { return [Int128](repeating: 0, count: candidates.count) }
        var low: Int64 = 0  // H(low) ≥ target holds (H(0) = capacity ≥ target)
        var high: Int64 = (leverages.max() ?? 0)  // H(high) = 0 < target
        while high - low > 1 {
            let mid = low + (high - low) / 2  // integer midpoint of a search interval, not money
            if try total(mid) >= target { low = mid } else { high = mid }
        }
        var haircuts = try candidates.indices.map { i throws(ArithmeticError) in try haircut(i, level: high) }
        var leftover = target - haircuts.reduce(0, +)
        let order = candidates.indices.sorted {
            leverages[$0] != leverages[$1] ? leverages[$0] > leverages[$1] : $0 < $1
        }
        for index in order where leftover > 0 {
            let room = try haircut(index, level: low) - haircuts[index]
            let give = min(room, leftover)
            haircuts[index] += give
            leftover -= give
        }
        return haircuts
    }

    static func measure(
        _ candidates: [AdlCandidate],
        policy: AdlPolicy,
        shortfall: Money,
        haircuts wide: [Int128]
    ) throws(ArithmeticError) -> AdlAllocation {
        let haircuts = wide.map { Money(raw: Int64($0)) }  // each 0 ≤ hᵢ ≤ pnlᵢ, so it fits in Int64
        let coveredWide = wide.reduce(0, +)
        let covered = Money(raw: try FixedMath.narrow(coveredWide, field: "covered shortfall"))
        var hitLeverages: [(leverage: Double, weight: Double)] = []
        var deleveraged: Int128 = 0
        var largest = Money.zero
        var maxAfter = 0.0
        for (index, c) in candidates.enumerated() {
            let h = haircuts[index]
            let leverage = Double(try c.effectiveLeverage().raw) / Double(FixedPointScale.factor)
            let closed = try FixedMath.multiplyDivide(c.notional.wide, h.wide, c.pnl.wide, rounding: .down)
            let notionalAfter = c.notional.wide - closed
            let equityAfter = try c.equity().wide - h.wide
            maxAfter = max(maxAfter, equityAfter > 0 ? Double(notionalAfter) / Double(equityAfter) : 0)
            guard h.isPositive else { continue }
            hitLeverages.append((leverage, Double(h.raw)))
            deleveraged += closed
            largest = Money.maximum(largest, h)
        }
        let weight = hitLeverages.reduce(0) { $0 + $1.weight }
        let mean = weight > 0 ? hitLeverages.reduce(0) { $0 + $1.leverage * $1.weight } / weight : 0
        let sorted = hitLeverages.map(\.leverage).sorted()
        let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        let coveredDouble = Double(covered.raw)
        return AdlAllocation(
            policy: policy,
            shortfall: shortfall,
            haircuts: haircuts,
            covered: covered,
            uncovered: try shortfall.subtracting(covered),
            accountsHit: hitLeverages.count,
            meanLeverageHit: mean,
            medianLeverageHit: median,
            maxLeverageHit: sorted.last ?? 0,
            deleveragedNotional: Money(raw: try FixedMath.narrow(deleveraged, field: "deleveraged notional")),
            notionalPerShortfall: coveredDouble > 0 ? Double(deleveraged) / coveredDouble : 0,
            largestShare: coveredDouble > 0 ? Double(largest.raw) / coveredDouble : 0,
            maxLeverageAfter: maxAfter
        )
    }
}
