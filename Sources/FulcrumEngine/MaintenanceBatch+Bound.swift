import FulcrumCore

/// The division-free first test of the batch maintenance check: an exact bound on each account's
/// `equity − maintenance` that decides almost every account with a few 128-bit multiplications per position.
extension MaintenanceBatch {
    /// One tier of a tiered market, in the units of the bound (raw money × 10⁸, i.e. 10⁻¹⁶).
    ///
    /// With `sp = size · P` (raw, exact), the engine's notional is `N = ⌈|sp| / 10⁸⌉`, and its tier is the last one
    /// whose floor `F ≤ N`, i.e. `|sp| > (F − 1) · 10⁸` (``threshold``): the tier is found exactly, without the
    /// division.
    struct BoundTier: Sendable {
        /// `(floor − 1) · 10⁸`: the tier applies when `|sp|` exceeds it.
        var threshold: Int128
        /// `10⁸ − rate` and `10⁸ + rate` (raw rate): `sp · factor` is `10⁸ · (x − |x| · rate / 10⁸)` scaled by 10⁸
        /// for a long and a short (`x = sp / 10⁸`, the exact value).
        var longFactor: Int64
        var shortFactor: Int64
        /// `deduction · 10¹⁶`.
        var deduction: Int128
    }

    /// `10¹⁶`: raw money to the bound's units.
    @inline(__always) static var boundScale: Int128 { 10_000_000_000_000_000 }

    /// `|sp|` must stay below 2⁸⁸ for the bound: then `N < 2⁶²` (the engine's figures fit in 64 bits, as on the
    /// fast path) and every term is below 2¹¹⁸, so up to 512 positions sum without overflow.
    @inline(__always) static var boundLimit: Int128 { 309_485_009_821_345_068_724_781_056 }  // 2⁸⁸

    /// Whether the cross pool of one account is under maintenance, decided from an exact bound, or `nil` when the
    /// bound cannot decide (within a few units of the boundary) or a position is not on a tiered market (the caller
    /// then runs the exact per-position path).
    ///
    /// Per open cross position (`x = size · P / 10⁸` exactly, `ρ` the tier's rate / 10⁸), the engine's term
    /// `T = ⌊x⌋ − cost − (⌈⌈|x|⌉ · ρ⌉ − deduction)` lies in `(A − 3, A]` with `A = x − cost − |x| · ρ + deduction`
    /// (`⌊x⌋ ∈ (x − 1, x]`; `⌈|x|⌉ · ρ < |x| · ρ + 1`, and the outer ceiling adds less than 1). So the pool's
    /// `equity − maintenance = balance + Σ T` lies in `(S − 3n, S]` with `S = balance + Σ A`, which is computed
    /// exactly in units of 10⁻¹⁶ (`10¹⁶ · A = sp · (10⁸ ∓ rate) − 10¹⁶ · cost + 10¹⁶ · deduction`). `S < 0` proves
    /// the shortfall, `S ≥ 3n` proves there is none; in between (a band of `3n` raw units) the caller decides
    /// exactly.
    @inline(__always)
    static func boundedCrossShortfall(
        balance: Int64,
        positions: UnsafeBufferPointer<Position>,
        markets: UnsafeBufferPointer<Market>,
        tiers: UnsafeBufferPointer<BoundTier>
    ) -> Bool? {
        guard positions.count <= 512 else { return nil }
        var sum = Int128(balance) &* boundScale
        var open: Int64 = 0
        for market in 0..<positions.count {
            let position = positions[market]
            let size = position.size.raw
            guard size != 0, position.mode == .cross else { continue }
            let constants = markets[market]
            guard constants.model == .tiered else { return nil }
            let sp = Int128(size) &* Int128(constants.price)  // |size|, P < 2⁶³: exact
            let isLong = size > 0
            let magnitude = isLong ? sp : 0 &- sp
            guard magnitude < boundLimit else { return nil }
            var tier = constants.tierStart
            while tier + 1 < constants.tierEnd && magnitude > tiers[tier + 1].threshold { tier += 1 }
            let bound = tiers[tier]
            let factor = isLong ? bound.longFactor : bound.shortFactor
            sum = sum &+ sp &* Int128(factor) &- Int128(position.cost.raw) &* boundScale &+ bound.deduction
            open &+= 1
        }
        guard open > 0 else { return false }  // no open cross position: never short
        if sum < 0 { return true }
        if sum >= Int128(open &* 3) &* boundScale { return false }
        return nil
    }
}
