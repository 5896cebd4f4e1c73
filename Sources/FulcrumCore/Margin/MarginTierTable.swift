/// A validated, ordered margin-tier table for one market, bounded by notional (``TierBound/notional``: Binance,
/// Bybit, Hyperliquid, BitMEX) or by position size (``TierBound/baseQuantity``: OKX position tiers).
///
/// Invariants of a notional table (checked by ``init(tiers:)``): at least one tier; the first starts at 0; tiers are
/// contiguous (each floor equals the previous cap); only the last is unbounded; maintenance rates do not decrease;
/// max leverage does not increase; each deduction satisfies the continuity recurrence exactly.
///
/// A size-bounded table (``init(sizeTiers:)``) chooses the tier by the position's absolute size, which does not move
/// with the price; its maintenance is `|N| × mmr(size)` with no deduction (OKX publishes none), so it is continuous in
/// the price but steps up with the size at each tier cap. Size-aware callers use ``tierIndex(forSize:notional:)``,
/// ``tier(forSize:notional:)``, ``maintenanceMargin(forSize:notional:)`` and ``maintenanceSteps(forSize:notional:)``.
/// For callers that only know a notional, ``tiers`` of a size-bounded table is its *size-unaware view*: one unbounded
/// bracket with the first tier's rate and leverage — exact for positions within the first tier's size cap and
/// understated above it.
public struct MarginTierTable: Sendable, Hashable {
    /// The notional brackets, lowest notional first; for a size-bounded table, the size-unaware view (one unbounded
    /// bracket with the first size tier's rate and leverage, no deduction).
    public let tiers: [MarginTier]
    /// What the bounds measure.
    public let bound: TierBound
    /// The size tiers of a size-bounded table, smallest size first; empty for a notional table.
    public let sizeTiers: [PositionSizeTier]

    /// Validates and stores a table.
    ///
    /// - Throws: ``MarginTableError`` naming the tier and the broken rule.
    public init(tiers: [MarginTier]) throws(MarginTableError) {
        guard let first = tiers.first else { throw MarginTableError("tier table is empty") }
        guard first.notionalFloor.isZero else {
            throw MarginTableError("tier 1 starts at \(first.notionalFloor), not 0")
        }
        guard first.maintenanceDeduction.isZero else {
            throw MarginTableError("tier 1 has deduction \(first.maintenanceDeduction), not 0")
        }
        for (index, tier) in tiers.enumerated() {
            let n = index + 1
            guard tier.maxLeverage.isPositive else { throw MarginTableError("tier \(n) max leverage must be positive") }
            guard !tier.maintenanceMarginRate.isNegative, tier.maintenanceMarginRate < .one else {
                throw MarginTableError("tier \(n) maintenance rate \(tier.maintenanceMarginRate) is not in [0, 1)")
            }
            if let cap = tier.notionalCap, cap <= tier.notionalFloor {
                throw MarginTableError("tier \(n) cap \(cap) is not above its floor \(tier.notionalFloor)")
            }
            if index == tiers.count - 1 { continue }
            guard let cap = tier.notionalCap else { throw MarginTableError("tier \(n) is unbounded but not last") }
            let next = tiers[index + 1]
            guard next.notionalFloor == cap else {
                throw MarginTableError("tier \(n + 1) starts at \(next.notionalFloor), tier \(n) ends at \(cap)")
            }
            guard next.maintenanceMarginRate >= tier.maintenanceMarginRate else {
                throw MarginTableError("tier \(n + 1) maintenance rate decreases")
            }
            guard next.maxLeverage <= tier.maxLeverage else {
                throw MarginTableError("tier \(n + 1) max leverage increases")
            }
            // cum_{n+1} = cum_n + floor_{n+1} · (mmr_{n+1} − mmr_n): exact, no rounding needed at 8 decimals
            // for published tables; a table whose recurrence does not hold exactly is rejected.
            let step: Money
            do {
                step = try next.notionalFloor.times(
                    next.maintenanceMarginRate - tier.maintenanceMarginRate,
                    rounding: .towardZero
                )
            } catch {
                throw MarginTableError("tier \(n + 1) deduction overflows")
            }
            guard next.maintenanceDeduction == tier.maintenanceDeduction + step else {
                throw MarginTableError(
                    "tier \(n + 1) deduction \(next.maintenanceDeduction) breaks continuity "
                        + "(expected \(tier.maintenanceDeduction + step))"
                )
            }
        }
        self.tiers = tiers
        self.bound = .notional
        self.sizeTiers = []
    }

    /// Validates and stores a size-bounded table (OKX position tiers converted from contracts to base units).
    ///
    /// Invariants: at least one tier; caps positive and strictly increasing; only the last may be unbounded;
    /// maintenance rates in `[0, 1)` and non-decreasing; max leverage positive and non-increasing.
    ///
    /// - Throws: ``MarginTableError`` naming the tier and the broken rule.
    public init(sizeTiers: [PositionSizeTier]) throws(MarginTableError) {
        guard let first = sizeTiers.first else { throw MarginTableError("size tier table is empty") }
        for (index, tier) in sizeTiers.enumerated() {
            let n = index + 1
            guard tier.maxLeverage.isPositive else { throw MarginTableError("tier \(n) max leverage must be positive") }
            guard !tier.maintenanceMarginRate.isNegative, tier.maintenanceMarginRate < .one else {
                throw MarginTableError("tier \(n) maintenance rate \(tier.maintenanceMarginRate) is not in [0, 1)")
            }
            if let cap = tier.sizeCap, !cap.isPositive {
                throw MarginTableError("tier \(n) size cap \(cap) must be positive")
            }
            if index == sizeTiers.count - 1 { continue }
            guard let cap = tier.sizeCap else { throw MarginTableError("tier \(n) is unbounded but not last") }
            let next = sizeTiers[index + 1]
            if let nextCap = next.sizeCap, nextCap <= cap {
                throw MarginTableError("tier \(n + 1) size cap \(nextCap) is not above tier \(n)'s \(cap)")
            }
            guard next.maintenanceMarginRate >= tier.maintenanceMarginRate else {
                throw MarginTableError("tier \(n + 1) maintenance rate decreases")
            }
            guard next.maxLeverage <= tier.maxLeverage else {
                throw MarginTableError("tier \(n + 1) max leverage increases")
            }
        }
        self.tiers = [
            MarginTier(
                notionalFloor: .zero,
                notionalCap: nil,
                maxLeverage: first.maxLeverage,
                maintenanceMarginRate: first.maintenanceMarginRate,
                maintenanceDeduction: .zero
            )
        ]
        self.bound = .baseQuantity
        self.sizeTiers = sizeTiers
    }

    /// The bracket index for a notional (absolute value is used). On a size-bounded table this indexes the
    /// size-unaware view (always 0); use ``tierIndex(forSize:notional:)``.
    ///
    /// - Complexity: O(log t) for t tiers.
    public func tierIndex(forNotional notional: Money) -> Int {
        let value = notional.magnitude
        // Most positions sit in the first bracket: one comparison (floors ascend, so no later floor is reached).
        if tiers.count < 2 || tiers[1].notionalFloor > value { return 0 }
        var low = 0
        var high = tiers.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if tiers[mid].notionalFloor <= value { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The bracket for a notional.
    public func tier(forNotional notional: Money) -> MarginTier { tiers[tierIndex(forNotional: notional)] }

    /// Maintenance margin `|notional| × mmr − deduction` of the notional's bracket, rounded **up**
    /// (favours the venue: a position is never under-margined by rounding).
    public func maintenanceMargin(forNotional notional: Money) throws(ArithmeticError) -> Money {
        let tier = tier(forNotional: notional)
        let gross = try notional.magnitude.times(tier.maintenanceMarginRate, rounding: .up)
        return gross - tier.maintenanceDeduction
    }

    /// Builds a table from floors, caps, leverages and rates, deriving each deduction by the continuity
    /// recurrence. Used for venues that publish rates but not deductions (Hyperliquid, Bybit).
    public static func derivingDeductions(
        _ rows: [(floor: Money, cap: Money?, maxLeverage: Leverage, maintenanceMarginRate: Rate)]
    ) throws(MarginTableError) -> MarginTierTable {
        var tiers: [MarginTier] = []
        var deduction = Money.zero
        for (index, row) in rows.enumerated() {
            if index > 0 {
                let previousRate = rows[index - 1].maintenanceMarginRate
                do {
                    deduction += try row.floor.times(row.maintenanceMarginRate - previousRate, rounding: .towardZero)
                } catch {
                    throw MarginTableError("tier \(index + 1) deduction overflows")
                }
            }
            tiers.append(
                MarginTier(
                    notionalFloor: row.floor,
                    notionalCap: row.cap,
                    maxLeverage: row.maxLeverage,
                    maintenanceMarginRate: row.maintenanceMarginRate,
                    maintenanceDeduction: deduction
                )
            )
        }
        return try MarginTierTable(tiers: tiers)
    }
}

/// A tier table that breaks one of ``MarginTierTable``'s invariants.
public struct MarginTableError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the tier.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
