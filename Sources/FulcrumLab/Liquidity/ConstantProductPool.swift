public import FulcrumCore

/// A constant-product AMM (`x · y = k`, Uniswap v2 without fee): base reserve `x`, quote reserve `y`.
///
/// Swaps keep the product from falling: the output is computed from `k / (x + Δx)` rounded **up**, so the pool
/// keeps any sub-unit remainder (favours the pool; the trader never receives more than the curve allows).
/// Risk DAO's slippage calibration (`reference/cascades.md` §1.5): selling `v` moves the price by the factor
/// `x² / (x + v)²`.
public struct ConstantProductPool: Sendable, Hashable {
    /// Base reserve (raw 10⁻⁸).
    public private(set) var baseReserve: Quantity
    /// Quote reserve (raw 10⁻⁸).
    public private(set) var quoteReserve: Money

    /// Creates a pool from reserves.
    ///
    /// - Throws: ``LabError`` when a reserve is not positive.
    public init(baseReserve: Quantity, quoteReserve: Money) throws(LabError) {
        guard baseReserve.isPositive else { throw LabError("amm baseReserve \(baseReserve) must be positive") }
        guard quoteReserve.isPositive else { throw LabError("amm quoteReserve \(quoteReserve) must be positive") }
        self.baseReserve = baseReserve
        self.quoteReserve = quoteReserve
    }

    /// The invariant `x · y` in raw units squared (128-bit).
    public var invariant: Int128 { baseReserve.wide * quoteReserve.wide }

    /// Spot price `y / x`, rounded half-even (a quote for display and oracles, not a settlement).
    public var price: Price {
        (try? quoteReserve.divided(by: baseReserve, rounding: .halfEven)) ?? .zero
    }

    /// Sells `amount` of base into the pool; returns the quote paid out.
    ///
    /// `out = y − ⌈k / (x + Δx)⌉`. The pool is unchanged on error.
    /// - Throws: ``LabError`` when the amount is not positive or a reserve overflows.
    public mutating func sellBase(_ amount: Quantity) throws(LabError) -> Money {
        guard amount.isPositive else { throw LabError("amm sell amount \(amount) must be positive") }
        let newBase: Quantity
        let newQuote: Int128
        do {
            newBase = try baseReserve.adding(amount)
            newQuote = try FixedMath.divide(invariant, by: newBase.wide, rounding: .up)  // favours the pool
        } catch {
            throw LabError(field: "amm sell \(amount)", error)
        }
        let out = quoteReserve.wide - newQuote
        baseReserve = newBase
        quoteReserve = Money(raw: Int64(newQuote))  // ≤ old quote reserve, so it fits
        return Money(raw: Int64(out))
    }

    /// Buys `amount` of base from the pool; returns the quote paid in.
    ///
    /// `in = ⌈k / (x − Δx)⌉ − y`. The pool is unchanged on error.
    /// - Throws: ``LabError`` when the amount is not below the base reserve or the quote overflows.
    public mutating func buyBase(_ amount: Quantity) throws(LabError) -> Money {
        guard amount.isPositive, amount < baseReserve else {
            throw LabError("amm buy amount \(amount) must be positive and below the reserve \(baseReserve)")
        }
        let newBase = baseReserve - amount  // validated above: amount < baseReserve
        let newQuote: Int64
        do {
            let q = try FixedMath.divide(invariant, by: newBase.wide, rounding: .up)  // favours the pool
            newQuote = try FixedMath.narrow(q, field: "amm quote reserve")
        } catch {
            throw LabError(field: "amm buy \(amount)", error)
        }
        let paid = newQuote - quoteReserve.raw
        baseReserve = newBase
        quoteReserve = Money(raw: newQuote)
        return Money(raw: paid)
    }
}
