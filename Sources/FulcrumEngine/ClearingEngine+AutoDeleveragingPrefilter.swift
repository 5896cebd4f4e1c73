import FulcrumCore

/// The ADL queue build at scale: a cheap upper bound of each holder's score picks the candidates that can reach the
/// head, and only they are scored exactly; the order stays exactly ``ClearingEngine/queue(_:sign:excluding:)``'s.
extension ClearingEngine {
    /// One candidate per this many accounts, when more than ``AutoDeleveragingQueues/candidateFloor``.
    static let adlCandidateShare = 64

    /// Builds the base of the queue of (`market`, `sign`) under ``AutoDeleveragingRule/Ranking/pnlTimesLeverage``
    /// from a bound scan: each holder's score bound (``leverageScoreBound(_:_:price:)``) is computed in one pass and
    /// kept with the holder; every holder the bound cannot vouch for is scored exactly at once, and of the others only
    /// the candidates with the largest bounds (``takeCandidates(_:key:count:)``). The base's `bound` is an upper bound
    /// of every score left out, so the heap hands out an entry only while it scores above all of them, which keeps the
    /// order exact; past that the next candidates are taken (``extendBase(_:key:)``). Holders are visited by
    /// ascending id and those the bound cannot vouch for are scored in that order, so an error is the one the full
    /// build would throw first (a holder with a finite bound scores without error).
    func buildPrefiltered(_ queues: inout AutoDeleveragingQueues, market: Int, sign: Int64) throws {
        let key = market << 1 | (sign > 0 ? 1 : 0)
        let count = markets.count
        let capacity = max(queues.candidateFloor, balances.count / Self.adlCandidateShare)
        queues.scored[key].isBuilt = true
        // Too few accounts for the scan to leave anyone out: the plain build.
        guard balances.count > capacity else {
            for holder in 0..<balances.count {
                let size = positions[holder * count + market].size.raw
                if size != 0 && (size > 0) == (sign > 0) {
                    queues.scored[key].unordered.append((try score(holder, market, ranking: .pnlTimesLeverage), holder))
                }
            }
            queues.scored[key].heapify()
            return
        }
        queues.prefiltered += 1
        let price = triggerPrice(MarketID(UInt32(market)))
        for holder in 0..<balances.count {
            let size = positions[holder * count + market].size.raw
            guard size != 0 && (size > 0) == (sign > 0) else { continue }
            let bound = leverageScoreBound(holder, market, price: price)
            if bound.isFinite {
                queues.scored[key].excluded.append((bound, holder))
            } else {
                queues.scored[key].unordered.append((try score(holder, market, ranking: .pnlTimesLeverage), holder))
            }
        }
        queues.scored[key].excludedCount = queues.scored[key].excluded.count
        try takeCandidates(&queues, key: key, count: capacity)
    }

    /// Extends the prefiltered base of `key` when its heap cannot tell the next entry: takes as many further
    /// candidates as it holds already (so the scored share doubles), or the rest.
    func extendBase(_ queues: inout AutoDeleveragingQueues, key: Int) throws {
        let taken = max(queues.scored[key].taken, 1)
        try takeCandidates(&queues, key: key, count: taken)
        queues.completions += 1
    }

    /// Moves the `count` holders with the largest bounds among those still left out of `key`'s base into it, scored
    /// exactly, re-heaps the base and lowers its `bound` to the smallest bound taken (every holder still left out has
    /// a bound at most that; `nil` once none is left out).
    ///
    /// Holders re-scored since the build (`rescored`) are skipped in the base anyway and are not added; every other
    /// holder is as it was at the build (prices do not change within a clearing call and every change to a holder
    /// emits an effect naming it), so its exact score now is its score at the build.
    func takeCandidates(_ queues: inout AutoDeleveragingQueues, key: Int, count: Int) throws {
        let market = key >> 1
        let remaining = queues.scored[key].excludedCount
        let take = min(count, remaining)
        let rest = remaining - take
        if rest > 0 { Self.selectLargest(&queues.scored[key].excluded, count: remaining, rank: rest) }
        for index in rest..<remaining {
            let holder = queues.scored[key].excluded[index].1
            guard !queues.scored[key].rescored.contains(holder) else { continue }
            queues.scored[key].unordered.append((try score(holder, market, ranking: .pnlTimesLeverage), holder))
        }
        queues.scored[key].taken += take
        queues.scored[key].excludedCount = rest
        queues.scored[key].bound = rest == 0 ? nil : Int128(queues.scored[key].excluded[rest].0.rounded(.up))
        queues.scored[key].heapify()
    }

    /// Quickselect (three-way partitions, median-of-three pivots): rearranges `entries[0..<count]` so that every
    /// entry before `rank` has a bound at most `entries[rank]`'s and every entry from `rank` on at least that.
    static func selectLargest(_ entries: inout [(Double, Int)], count: Int, rank: Int) {
        var low = 0
        var high = count
        while high - low > 1 {
            let a = entries[low].0
            let b = entries[(low + high) / 2].0
            let c = entries[high - 1].0
            let pivot = max(min(a, b), min(max(a, b), c))
            var less = low
            var index = low
            var greater = high
            while index < greater {
                let bound = entries[index].0
                if bound < pivot {
                    entries.swapAt(less, index)
                    less += 1
                    index += 1
                } else if bound > pivot {
                    greater -= 1
                    entries.swapAt(index, greater)
                } else {
                    index += 1
                }
            }
            if rank < less {
                high = less
            } else if rank >= greater {
                low = greater
            } else {
                return
            }
        }
    }

    /// An upper bound of the ``AutoDeleveragingRule/Ranking/pnlTimesLeverage`` score of `holder`'s open position in
    /// `market` at `price` (the trigger price), or `+∞` when the bound cannot vouch for it: a cross account with
    /// another open position, a pool equity not clearly positive, a zero cost, or any magnitude near the 64-bit
    /// range (where the exact scoring could throw). Every holder with a finite bound scores without error.
    ///
    /// Derivation (``score(_:_:ranking:)``): with `V` the position's value (rounded down), `C` its cost, `E` the pool
    /// equity (`W + V − C`, `W` the wallet of a cross account whose only open position this is, or the isolated
    /// margin), the score is `trunc(trunc(G·10⁸/|C|) · trunc(|V|·10⁸/E) / 10⁸)` when the gain `G = V − C` gives a
    /// positive PnL%, hence at most `G·|V|·10⁸ / (|C|·E)`; otherwise it is `≤ 0`. The bound evaluates that in
    /// binary64 from widened inputs: each conversion or operation errs by at most 2⁻⁵³ relatively, and `V` (the real
    /// value rounded down) by less than 1 raw unit; `G` and `|V|` are raised and `E` lowered by
    /// `2 + 4·10⁻¹⁵ × (sum of the magnitudes involved)` raw units, far above those errors, and the quotient is raised
    /// by a relative 10⁻¹² plus 1 unit. Only the pruning depends on it; the order never does.
    func leverageScoreBound(_ holder: Int, _ market: Int, price: Price) -> Double {
        let position = positions[holder * markets.count + market]
        let base: Int64
        if position.mode == .cross {
            guard openPositionCounts[holder] == 1 else { return .infinity }
            base = balances[holder].raw
        } else {
            base = position.isolatedMargin.raw
        }
        let limit = 0x1p60
        let cost = Double(position.cost.raw)
        let wallet = Double(base)
        let contractValue = inverseContractValues[market]
        let value =
            contractValue == 0
            ? Double(position.size.raw) * Double(price.raw) / 1e8
            : -Double(position.size.raw) * Double(contractValue) / Double(price.raw)
        let costMagnitude = abs(cost)
        let valueMagnitude = abs(value)
        guard position.cost.raw != 0, costMagnitude < limit, abs(wallet) < limit, valueMagnitude < limit else {
            return .infinity
        }
        let equity = wallet + value - cost
        let equityLow = equity - (2 + 4e-15 * (abs(wallet) + costMagnitude + valueMagnitude))
        guard equityLow > 0 else { return .infinity }
        let gainHigh = value - cost + (2 + 4e-15 * (costMagnitude + valueMagnitude))
        // Losses far beyond the cost could overflow the exact PnL% ÷ leverage; leave them to the exact scoring.
        guard gainHigh > -100 * costMagnitude else { return .infinity }
        let valueHigh = valueMagnitude * (1 + 4e-15) + 2
        // Both exact ratios (PnL% and leverage, 10⁻⁸ units) must stay far inside 64 bits.
        guard gainHigh * 1e8 / costMagnitude < limit, valueHigh * 1e8 / equityLow < limit else { return .infinity }
        guard gainHigh > 0 else { return 0 }
        let bound = gainHigh * valueHigh * 1e8 / (costMagnitude * (1 - 1e-15) * equityLow) * (1 + 1e-12) + 1
        return bound < limit ? bound : .infinity
    }
}
