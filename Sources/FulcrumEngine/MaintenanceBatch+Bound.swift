import FulcrumCore

/// The division-free first test of the batch maintenance check: an exact bound on each account's
/// `equity − maintenance` that decides almost every account with a few 128-bit multiplications per position.
extension MaintenanceBatch {
    /// One tier of a tiered market at the prepared trigger price `P`, in the units of the bound (raw money × 10⁸,
    /// i.e. 10⁻¹⁶).
    ///
    /// With `sp = size · P` (raw, exact), the engine's notional is `N = ⌈|sp| / 10⁸⌉`, and its tier is the last one
    /// whose floor `F ≤ N`, i.e. `|sp| > (F − 1) · 10⁸`, i.e. `|size| > ⌊(F − 1) · 10⁸ / P⌋` (``sizeThreshold``;
    /// positive integers): the tier is found exactly from the size, without a product or a division per position.
    struct BoundTier: Sendable {
        /// `P · (10⁸ − rate)` and `P · (10⁸ + rate)` (raw rate; below 2⁹¹): `size · longPrice` is `sp · (10⁸ − rate)`,
        /// i.e. `10⁸ · (x − |x| · rate / 10⁸)` scaled by 10⁸ for a long (`x = sp / 10⁸`, the exact value), and
        /// `size · shortPrice` the same for a short.
        var longPrice: Int128
        var shortPrice: Int128
        /// `⌊(floor − 1) · 10⁸ / P⌋` (0 when the floor is 0, `UInt64.max` beyond 64 bits): the tier applies when
        /// `|size|` exceeds it.
        var sizeThreshold: UInt64
        /// The raw deduction.
        var deduction: Int64
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
        let count = positions.count
        guard count <= 512 else { return nil }
        // S = 10¹⁶ · (balance + Σ (deduction − cost)) + Σ sp · factor, accumulated in two exact parts.
        var raw = Int128(balance)
        var scaled: Int128 = 0
        var open: Int64 = 0
        var market = 0
        while market < count {
            let position = positions[market]
            let constants = markets[market]
            market &+= 1
            let size = position.size.raw
            guard size != 0, position.mode == .cross else { continue }
            guard constants.model == .tiered else { return nil }
            let magnitude = size.magnitude
            guard magnitude <= constants.sizeLimit else { return nil }  // |sp| < 2⁸⁸
            var tier = constants.tierStart
            let last = constants.tierEnd &- 1  // tierStart < tierEnd: a tiered market has a tier
            while tier < last && magnitude > tiers[tier &+ 1].sizeThreshold { tier &+= 1 }
            let bound = tiers[tier]
            // size · P · factor = sp · factor (|·| < 2⁸⁸ · 2²⁸ = 2¹¹⁶).
            scaled = scaled &+ Int128(size) &* (size > 0 ? bound.longPrice : bound.shortPrice)
            raw = raw &+ Int128(bound.deduction) &- Int128(position.cost.raw)
            open &+= 1
        }
        guard open > 0 else { return false }  // no open cross position: never short
        // |raw| < 2⁶³ + 512 · 2⁶⁴ < 2⁷⁴, so raw · 10¹⁶ < 2¹²⁸ − 2¹²⁶; scaled < 512 · 2¹¹⁶ = 2¹²⁵: the sum fits.
        let sum = scaled &+ raw &* boundScale
        if sum < 0 { return true }
        if sum >= Int128(open &* 3) &* boundScale { return false }
        return nil
    }
}
