/// Auto-deleveraging (ADL) priority scores and queues as published by the venues, as pure functions.
///
/// - BitMEX / Bybit (``AutoDeleveragingRule/Ranking/pnlTimesLeverage``), https://bitmex.com/app/autoDeleveraging:
///   `Ranking = PNL% × EffectiveLeverage` if `PNL% > 0`, `PNL% ÷ EffectiveLeverage` otherwise, with
///   `EffectiveLeverage = |MarkValue| / (MarkValue − BankruptValue)` and
///   `PNL% = (MarkValue − AvgEntryValue) / |AvgEntryValue|` (values signed: a short's are negative).
/// - Binance (``AutoDeleveragingRule/Ranking/pnlTimesMarginRatio``),
///   https://www.binance.com/zh-CN/support/announcement/360033525471: `LeveragePnL = PnlPercent × MarginRatio`,
///   `PnlPercent = max(0, uPnL) / max(1, WalletBalance)`, `MarginRatio = MM / (WalletBalance + uPnL)` (0 when the
///   margin balance is not positive).
///
/// The queue puts the highest score first; equal scores keep input order (deterministic).
public enum AutoDeleveragingRanking {
    /// BitMEX/Bybit effective-leverage PnL score of one position.
    ///
    /// Rounding: `PNL%` and the effective leverage are each rounded **toward zero** to 10⁻⁸, then the product
    /// (or quotient) toward zero: a score is never inflated by rounding; ties are broken by queue order.
    ///
    /// - Parameters:
    ///   - markValue: the signed position value at the mark price (short: negative).
    ///   - entryValue: the signed position value at the average entry price (non-zero).
    ///   - bankruptValue: the signed position value at the bankruptcy price.
    /// - Throws: ``ArithmeticError`` when the entry value is zero, when `markValue − bankruptValue` is not positive
    ///   (the position is at or beyond bankruptcy, so it is not an ADL counterparty), or on overflow.
    public static func effectiveLeveragePnl(
        markValue: Money,
        entryValue: Money,
        bankruptValue: Money
    ) throws(ArithmeticError) -> Rate {
        guard !entryValue.isZero else { throw ArithmeticError(.outOfRange, "entry value \(entryValue) must not be 0") }
        let equity = try markValue.subtracting(bankruptValue)
        guard equity.isPositive else {
            throw ArithmeticError(
                .outOfRange,
                "mark value \(markValue) − bankrupt value \(bankruptValue) must be positive (position is bankrupt)"
            )
        }
        let gain = try markValue.subtracting(entryValue)
        let pnlPercent = try gain.ratio(to: entryValue.magnitude, rounding: .towardZero)
        let leverage = try markValue.magnitude.ratio(to: equity, rounding: .towardZero)
        if pnlPercent.isPositive {
            return try pnlPercent.times(leverage, rounding: .towardZero)
        }
        guard leverage.isPositive else { return .zero }  // a zero mark value: no exposure left to rank
        let raw = try FixedMath.multiplyDivide(
            pnlPercent.wide,
            FixedPointScale.wideFactor,
            leverage.wide,
            rounding: .towardZero
        )
        return Rate(raw: try FixedMath.narrow(raw, field: "ADL score"))
    }

    /// Binance `LeveragePnL` of one account (or isolated position).
    ///
    /// Rounding: `PnlPercent` and `MarginRatio` are each rounded **toward zero** to 10⁻⁸, then their product toward
    /// zero (a score is never inflated by rounding).
    ///
    /// - Parameters:
    ///   - unrealizedPnl: unrealized PnL (signed).
    ///   - walletBalance: wallet balance (signed; `max(1, W)` guards the denominator as Binance does).
    ///   - maintenanceMargin: maintenance margin (non-negative).
    /// - Throws: ``ArithmeticError`` for a negative maintenance margin or an overflow.
    public static func leveragePnl(
        unrealizedPnl: Money,
        walletBalance: Money,
        maintenanceMargin: Money
    ) throws(ArithmeticError) -> Rate {
        guard !maintenanceMargin.isNegative else {
            throw ArithmeticError(.outOfRange, "maintenance margin \(maintenanceMargin) must not be negative")
        }
        let profit = Money.maximum(unrealizedPnl, .zero)
        let pnlPercent = try profit.ratio(to: Money.maximum(walletBalance, .one), rounding: .towardZero)
        let marginBalance = try walletBalance.adding(unrealizedPnl)
        guard marginBalance.isPositive else { return .zero }
        let marginRatio = try maintenanceMargin.ratio(to: marginBalance, rounding: .towardZero)
        return try pnlPercent.times(marginRatio, rounding: .towardZero)
    }

    /// The ADL queue: indices into `scores`, highest score first; equal scores keep input order.
    public static func queue(scores: [Rate]) -> [Int] {
        scores.indices.sorted { a, b in
            scores[a] != scores[b] ? scores[a] > scores[b] : a < b
        }
    }

    /// The BitMEX priority indicator of every position, in input order: the share of the side's total quantity
    /// held at or ahead of the position in `queue`, rounded **up** to a multiple of `1 / buckets` (BitMEX shows
    /// 20 % increments: `buckets` = 5).
    ///
    /// - Throws: ``ArithmeticError`` for a non-positive bucket count, a negative quantity, a `queue` that is not a
    ///   permutation of the positions, or an overflow.
    public static func percentiles(
        queue: [Int],
        quantities: [Quantity],
        buckets: Int = 5
    ) throws(ArithmeticError) -> [Rate] {
        guard buckets > 0 else { throw ArithmeticError(.outOfRange, "buckets \(buckets) must be positive") }
        try checkPermutation(queue, count: quantities.count)
        var total: Int128 = 0
        for (index, quantity) in quantities.enumerated() {
            guard !quantity.isNegative else {
                throw ArithmeticError(.outOfRange, "quantities[\(index)] \(quantity) must not be negative")
            }
            total += quantity.wide  // at most count × 2⁶³: fits in 128 bits
        }
        var result = [Rate](repeating: .zero, count: quantities.count)
        guard total > 0 else { return result }
        var cumulative: Int128 = 0
        for position in queue {
            cumulative += quantities[position].wide
            // bucket = ceil(cumulative · buckets / total); percentile = bucket / buckets.
            let bucket = try FixedMath.multiplyDivide(cumulative, Int128(buckets), total, rounding: .up)
            let raw = try FixedMath.multiplyDivide(bucket, FixedPointScale.wideFactor, Int128(buckets), rounding: .up)
            result[position] = Rate(raw: try FixedMath.narrow(raw, field: "percentile"))
        }
        return result
    }

    /// Splits a deleveraged `size` over the queue: each position in order closes as much as it holds until `size`
    /// is used up. Returns the closed quantity per position, in input order; their sum is `min(size, Σ quantities)`.
    ///
    /// - Throws: ``ArithmeticError`` for a negative size or quantity, or a `queue` that is not a permutation.
    public static func allocate(
        size: Quantity,
        queue: [Int],
        quantities: [Quantity]
    ) throws(ArithmeticError) -> [Quantity] {
        guard !size.isNegative else { throw ArithmeticError(.outOfRange, "size \(size) must not be negative") }
        try checkPermutation(queue, count: quantities.count)
        var remaining = size
        var closed = [Quantity](repeating: .zero, count: quantities.count)
        for position in queue {
            let held = quantities[position]
            guard !held.isNegative else {
                throw ArithmeticError(.outOfRange, "quantities[\(position)] \(held) must not be negative")
            }
            let take = Quantity.minimum(held, remaining)
            closed[position] = take
            remaining -= take  // take ≤ remaining: no overflow
        }
        return closed
    }

    /// Throws unless `queue` holds every index in `0..<count` exactly once.
    static func checkPermutation(_ queue: [Int], count: Int) throws(ArithmeticError) {
        guard queue.count == count else {
            throw ArithmeticError(.outOfRange, "queue has \(queue.count) entries for \(count) positions")
        }
        var seen = [Bool](repeating: false, count: count)
        for (slot, position) in queue.enumerated() {
            guard position >= 0, position < count, !seen[position] else {
                throw ArithmeticError(.outOfRange, "queue[\(slot)] \(position) is not a new position index")
            }
            seen[position] = true
        }
    }
}
