public import FulcrumCore

/// A virtual AMM (Perpetual Protocol v1, Drift v2): constant-product virtual reserves times a peg multiplier.
///
/// Price `= peg · quote / base`. Selling `Δ` base pays `peg · (quote − ⌈k / (base + Δ)⌉)`, rounded down (favours
/// the protocol). No real liquidity sits behind the curve; the protocol's repeg (``repeg(to:)``) moves the peg
/// toward the oracle, which is how a vAMM "refills" after a one-sided flow.
public struct VirtualAMM: Sendable, Hashable {
    /// Virtual base reserve.
    public private(set) var baseReserve: Quantity
    /// Virtual quote reserve (in peg units).
    public private(set) var quoteReserve: Quantity
    /// The peg multiplier (quote per peg unit).
    public private(set) var peg: Price

    /// Creates a vAMM with equal virtual reserves `depth` and a peg at `price` (so the price starts at `price`).
    ///
    /// - Throws: ``LabError`` when the depth or price is not positive.
    public init(depth: Quantity, price: Price) throws(LabError) {
        guard depth.isPositive else { throw LabError("vamm depth \(depth) must be positive") }
        guard price.isPositive else { throw LabError("vamm price \(price) must be positive") }
        baseReserve = depth
        quoteReserve = depth
        peg = price
    }

    /// The current price `peg · quote / base`, rounded half-even (display and oracles only).
    public var price: Price {
        let raw = try? FixedMath.multiplyDivide(peg.wide, quoteReserve.wide, baseReserve.wide, rounding: .halfEven)
        return Price(raw: raw.flatMap { Int64(exactly: $0) } ?? 0)
    }

    /// Sells `amount` of base into the curve; returns the quote paid out, rounded down (favours the protocol).
    ///
    /// - Throws: ``LabError`` when the amount is not positive or overflows; the vAMM is unchanged on error.
    public mutating func sellBase(_ amount: Quantity) throws(LabError) -> Money {
        guard amount.isPositive else { throw LabError("vamm sell amount \(amount) must be positive") }
        do {
            let newBase = try baseReserve.adding(amount)
            let k = baseReserve.wide * quoteReserve.wide
            let newQuote = try FixedMath.divide(k, by: newBase.wide, rounding: .up)
            let outUnits = quoteReserve.wide - newQuote
            let out = try FixedMath.multiplyDivide(outUnits, peg.wide, FixedPointScale.wideFactor, rounding: .down)
            let money = Money(raw: try FixedMath.narrow(out, field: "vamm proceeds"))
            baseReserve = newBase
            quoteReserve = Quantity(raw: Int64(newQuote))
            return money
        } catch {
            throw LabError(field: "vamm sell \(amount)", error)
        }
    }

    /// Moves the peg so the price equals `target` (reserves unchanged): `peg = target · base / quote`, rounded
    /// half-even (the repeg cost, paid by the protocol in Drift, is outside the lab's scope).
    public mutating func repeg(to target: Price) throws(LabError) {
        guard target.isPositive else { throw LabError("vamm repeg target \(target) must be positive") }
        do {
            let raw = try FixedMath.multiplyDivide(
                target.wide,
                baseReserve.wide,
                quoteReserve.wide,
                rounding: .halfEven
            )
            peg = Price(raw: try FixedMath.narrow(raw, field: "vamm peg"))
        } catch {
            throw LabError(field: "vamm repeg", error)
        }
    }
}
