public import FulcrumCore

/// The constant-product pool (`x · y = k`, no fee) whose LP shares ``LendingAssetSource/ammLP`` collateral is.
///
/// It starts with `baseReserve` of the traded asset and `baseReserve × startPrice` of quote (rounded down), and
/// `supply` = `baseReserve` LP raw units (one LP share claims 1 base + the start price in quote). Every step an
/// arbitrageur trades it (through ``ConstantProductPool``'s swaps, which round for the pool) until its spot price
/// is the cascade's **traded** price, the other leg on an outside venue: the cascade moves the pool, and the LP loses
/// to the move (impermanent loss, `2√r/(1+r)` of holding). Seized shares are burned: the burner gets `x · s / S` and
/// `y · s / S`, each rounded down (the remaining LPs keep the dust); the base leg is then sold on the shared
/// liquidity by the keeper.
public struct LendingLPPool: Sendable, Hashable {
    /// The reserves.
    public private(set) var pool: ConstantProductPool
    /// LP shares outstanding (raw units).
    public private(set) var supply: Int64
    /// LP shares at the start (raw units).
    public let startSupply: Int64
    /// Reserves at the start (raw units).
    public let startBase: Int64
    /// Quote reserve at the start (raw units).
    public let startQuote: Int64
    /// Net base the arbitrageurs put into the pool (raw; negative: taken out).
    public private(set) var arbitrageBaseIn: Int128 = 0
    /// Net quote the arbitrageurs put into the pool (raw; negative: taken out).
    public private(set) var arbitrageQuoteIn: Int128 = 0
    /// Shares burned by keepers (raw).
    public private(set) var burnedShares: Int64 = 0
    /// Base paid out by burns (raw).
    public private(set) var burnedBase: Int128 = 0
    /// Quote paid out by burns (raw).
    public private(set) var burnedQuote: Int128 = 0

    /// Creates the pool at `price` with `baseReserve` of base.
    ///
    /// - Throws: ``LabError`` naming `lending.lpPoolBaseReserve` when the reserve is not positive or the quote leg
    ///   does not fit.
    public init(baseReserve: Quantity, price: Price) throws(LabError) {
        let quote: Money
        do {
            // Quote leg rounded down (the pool starts no richer than the base leg's value).
            quote = try baseReserve.notional(at: price, rounding: .down)
        } catch {
            throw LabError("lending.lpPoolBaseReserve \(baseReserve) at price \(price): \(error)")
        }
        do {
            pool = try ConstantProductPool(baseReserve: baseReserve, quoteReserve: quote)
        } catch {
            throw LabError("lending.lpPoolBaseReserve \(baseReserve): \(error.message)")
        }
        supply = baseReserve.raw
        startSupply = baseReserve.raw
        startBase = baseReserve.raw
        startQuote = quote.raw
    }

    /// Arbitrage to `price`: the base reserve that makes `y / x = price` on the same invariant is `√(k / price)`
    /// (integer square root, rounded down); the swap to it goes through the pool's own rounding.
    mutating func arbitrage(to price: Price) throws(LabError) {
        guard price.isPositive else { return }
        let k = UInt128(pool.invariant)
        let (scaled, overflow) = k.multipliedReportingOverflow(by: 100_000_000)
        guard !overflow else { throw LabError("lp pool invariant \(k) too large to arbitrage") }
        let target = Self.squareRoot(scaled / UInt128(price.raw))
        let x = Int128(pool.baseReserve.raw)
        let t = Int128(clamping: target)
        if t > x {
            let amount = try Self.narrow(t - x)
            let out = try pool.sellBase(Quantity(raw: amount))
            arbitrageBaseIn += Int128(amount)
            arbitrageQuoteIn -= Int128(out.raw)
        } else if t < x, t > 0 {
            let amount = try Self.narrow(x - t)
            let paid = try pool.buyBase(Quantity(raw: amount))
            arbitrageBaseIn -= Int128(amount)
            arbitrageQuoteIn += Int128(paid.raw)
        }
    }

    /// Value of one LP share at `oracle` for the base leg: `(x · oracle + y) / supply`, both divisions rounded down
    /// (values the collateral low: favours the lending protocol); at least 1 raw.
    public func sharePrice(oracle: Price) -> Price {
        guard supply > 0 else { return Price(raw: 1) }
        let value = Int128(pool.baseReserve.raw) * Int128(oracle.raw) / 100_000_000 + Int128(pool.quoteReserve.raw)
        let raw = value * 100_000_000 / Int128(supply)
        return Price(raw: Int64(Swift.max(1, Swift.min(raw, Int128(Int64.max)))))
    }

    /// What burning `shares` pays out, without burning: `x · s / S` and `y · s / S`, rounded down.
    public func quoteBurn(_ shares: Int64) -> (base: Int64, quote: Int64) {
        guard supply > 0, shares > 0 else { return (0, 0) }
        let s = Int128(Swift.min(shares, supply))
        return (
            Int64(Int128(pool.baseReserve.raw) * s / Int128(supply)),
            Int64(Int128(pool.quoteReserve.raw) * s / Int128(supply))
        )
    }

    /// Burns `shares` (at most the supply less one raw share: the pool is never emptied) and pays out both legs.
    mutating func burn(_ shares: Int64) throws(LabError) -> (base: Int64, quote: Int64) {
        guard shares > 0 else { return (0, 0) }
        guard shares < supply else { throw LabError("lp pool burn of \(shares) shares: supply is only \(supply)") }
        let out = quoteBurn(shares)
        pool = try ConstantProductPool(
            baseReserve: Quantity(raw: pool.baseReserve.raw - out.base),
            quoteReserve: Money(raw: pool.quoteReserve.raw - out.quote)
        )
        supply -= shares
        burnedShares += shares
        burnedBase += Int128(out.base)
        burnedQuote += Int128(out.quote)
        return out
    }

    private static func narrow(_ v: Int128) throws(LabError) -> Int64 {
        guard let n = Int64(exactly: v) else { throw LabError("lp pool arbitrage amount \(v) out of range") }
        return n
    }

    /// ⌊√n⌋ (Newton from a floating-point estimate, corrected to the exact floor).
    static func squareRoot(_ n: UInt128) -> UInt128 {
        guard n > 1 else { return n }
        var r = UInt128(Double(n).squareRoot())
        while r > 0 && r.multipliedReportingOverflow(by: r).overflow || r * r > n { r -= 1 }
        while !(r + 1).multipliedReportingOverflow(by: r + 1).overflow && (r + 1) * (r + 1) <= n { r += 1 }
        return r
    }
}
