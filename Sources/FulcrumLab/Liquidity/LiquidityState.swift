public import FulcrumCore

/// The liquidity a cascade run trades against: an ``OrderBook``, or a constant-product curve (AMM or vAMM) with
/// the same depletion/refill dynamics, so the loop treats all three alike.
///
/// For a curve with base depth `x₀` (times the depth multiplier `m`) around the mid `F`, a sell of `q` after `D`
/// base already sold pays `F · (x₀m)² · q / ((x₀m + D)(x₀m + D + q))` (the constant-product swap of a pool with
/// reserves `(x₀m + D, (x₀m)²F / (x₀m + D))`), rounded down; a buy costs the mirror expression, rounded up (the
/// taker's worse side). The displacement of a curve is `1 − (x₀m / (x₀m + D))²` (Risk DAO's CPMM slippage).
public struct LiquidityState: Sendable {
    /// A curve's state: its base depth at multiplier 1, the depth multiplier, and the base consumed on each side.
    struct Curve: Sendable {
        var baseDepth: Int64
        var multiplier: Double
        var bidDepletion: Int64
        var askDepletion: Int64
    }
    /// The order book of a book model (`nil` for a curve). Stored as an optional, not as an enum payload, so a trade
    /// mutates it in place: taking a payload out of an enum retains every level array and releases it after.
    var book: OrderBook?
    /// The curve of an AMM model (unused while ``book`` is set).
    var curve = Curve(baseDepth: 0, multiplier: 1, bidDepletion: 0, askDepletion: 0)

    /// An empty curve and no book: a placeholder while a run's liquidity is lent to an executor.
    init() {}

    /// Creates the state for a liquidity model.
    public init(model: LiquidityConfig.Model) {
        switch model {
        case .book(let bids, let asks): book = OrderBook(bids: bids, asks: asks)
        case .constantProduct(let depth), .virtualAMM(let depth): curve.baseDepth = depth.raw
        }
    }

    /// Base consumed from the bid side and not refilled.
    public var bidDepletion: Int64 { book?.bidDepletion ?? curve.bidDepletion }

    /// Runs `body` on the book in place (its arrays stay uniquely referenced: a mutation copies nothing), or returns
    /// `nil` for a curve. What `body` leaves is kept, also when it throws (every ``OrderBook`` mutation checks before
    /// it changes anything). A body that cannot throw makes the call non-throwing (`Failure == Never`).
    @discardableResult
    private mutating func withBook<Result, Failure: Error>(
        _ body: (inout OrderBook) throws(Failure) -> Result
    ) throws(Failure) -> Result? {
        guard book != nil else { return nil }
        return try body(&book!)
    }

    /// Sets the depth multiplier (depth scale × withdrawal).
    public mutating func setDepthMultiplier(_ m: Double) throws(LabError) {
        if try withBook({ (book) throws(LabError) in try book.setDepthMultiplier(m) }) != nil { return }
        guard m > 0, m.isFinite else { throw LabError("depth multiplier \(m) must be positive") }
        curve.multiplier = m
    }

    /// Displacement of the bid and ask touch from the mid (fractions).
    public var displacement: (bid: Double, ask: Double) {
        if let d = book?.displacement { return (Double(d.bid.raw) / 1e8, Double(d.ask.raw) / 1e8) }
        let (db, da) = (curve.bidDepletion, curve.askDepletion)
        let x = Double(curve.baseDepth) * curve.multiplier
        let bid = 1 - (x / (x + Double(db))) * (x / (x + Double(db)))
        let ask = da > 0 && Double(da) < x ? (x / (x - Double(da))) * (x / (x - Double(da))) - 1 : 0
        return (bid, ask)
    }

    /// Restores `fraction` of consumed depth on both sides (rounded down).
    public mutating func refill(fraction: Double) {
        if withBook({ book in book.refill(fraction: fraction) }) != nil { return }
        let f = Swift.min(1, Swift.max(0, fraction))
        curve.bidDepletion -= Int64((Double(curve.bidDepletion) * f).rounded(.down))
        curve.askDepletion -= Int64((Double(curve.askDepletion) * f).rounded(.down))
    }

    private static func curveNotional(
        mid: Price,
        depth: Int128,
        from x: Int128,
        to y: Int128,
        quantity: Int64,
        up: Bool
    )
        throws(ArithmeticError) -> Money
    {
        // Average price = F · depth² / (x · y); notional = q · average. Both divisions round the taker's worse way.
        let numerator = mid.wide * depth
        let average = try FixedMath.multiplyDivide(numerator, depth, x * y, rounding: up ? .up : .down)
        let value = try FixedMath.multiplyDivide(
            Int128(quantity),
            average,
            FixedPointScale.wideFactor,
            rounding: up ? .up : .down
        )
        return Money(raw: try FixedMath.narrow(value, field: "curve notional"))
    }

    /// Quotes (and, when `commit`, executes) a market sell (`isSell`) or buy of `quantity` at `mid`.
    public mutating func trade(
        _ quantity: Quantity,
        mid: Price,
        isSell: Bool,
        commit: Bool
    ) throws(LabError) -> BookFill {
        if commit,
            let fill = try withBook({ (book) throws(LabError) in
                isSell ? try book.sell(quantity, mid: mid) : try book.buy(quantity, mid: mid)
            })
        {
            return fill
        }
        if let b = book {  // a quote: a committed book trade returned above
            return isSell ? try b.quoteSell(quantity, mid: mid) : try b.quoteBuy(quantity, mid: mid)
        }
        let (x0, m) = (curve.baseDepth, curve.multiplier)
        var (db, da) = (curve.bidDepletion, curve.askDepletion)
        guard !quantity.isNegative else { throw LabError("trade quantity \(quantity) must not be negative") }
        let depth = Int128((Double(x0) * m).rounded(.down))
        guard depth > 0 else { throw LabError("curve depth is zero") }
        var remaining = quantity.raw
        var notional = Money.zero
        do {
            if isSell {
                let netted = Swift.min(remaining, da)  // a sell first undoes buyers' displacement, at the mid
                if netted > 0 {
                    notional += try Quantity(raw: netted).notional(at: mid, rounding: .down)
                    da -= netted
                    remaining -= netted
                }
                if remaining > 0 {
                    let x = depth + Int128(db)
                    notional += try Self.curveNotional(
                        mid: mid,
                        depth: depth,
                        from: x,
                        to: x + Int128(remaining),
                        quantity: remaining,
                        up: false
                    )
                    db += remaining
                }
            } else {
                let netted = Swift.min(remaining, db)
                if netted > 0 {
                    notional += try Quantity(raw: netted).notional(at: mid, rounding: .up)
                    db -= netted
                    remaining -= netted
                }
                if remaining > 0 {
                    let x = depth - Int128(da)
                    // A curve cannot sell its last unit: cap the fill at half the remaining reserve.
                    let fillable = Swift.min(Int128(remaining), x / 2)
                    if fillable > 0 {
                        notional += try Self.curveNotional(
                            mid: mid,
                            depth: depth,
                            from: x - fillable,
                            to: x,
                            quantity: Int64(fillable),
                            up: true
                        )
                        da += Int64(fillable)
                        remaining -= Int64(fillable)
                    }
                }
            }
        } catch {
            throw LabError(field: "curve trade \(quantity)", error)
        }
        let filled = quantity.raw - remaining
        let worstRaw: Int64
        if isSell {
            let x = Double(depth) + Double(db)
            worstRaw = Int64(Double(mid.raw) * (Double(depth) / x) * (Double(depth) / x))
        } else {
            let x = Double(depth) - Double(da)
            worstRaw =
                x > 0
                ? Int64(Swift.min(9e18, Double(mid.raw) * (Double(depth) / x) * (Double(depth) / x))) : mid.raw
        }
        if commit { (curve.bidDepletion, curve.askDepletion) = (db, da) }
        return BookFill(
            quantity: Quantity(raw: filled),
            notional: notional,
            worstPrice: Price(raw: worstRaw),
            levelsTouched: filled > 0 ? 1 : 0
        )
    }
}
