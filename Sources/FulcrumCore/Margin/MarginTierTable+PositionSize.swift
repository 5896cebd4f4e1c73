/// Tier lookups that know the position's size: the same answers as the notional lookups on a notional table, the
/// size tier on a size-bounded table (OKX).
extension MarginTierTable {
    /// The tier index of a position of `size` (absolute value used) whose notional is `notional`.
    ///
    /// Notional table: the bracket holding `|notional|` (``tierIndex(forNotional:)``). Size-bounded table: the first
    /// tier whose cap is at least `|size|` (caps are inclusive, as OKX's `maxSz`); a size above the last cap (OKX
    /// refuses to open such a position) gets the last tier.
    ///
    /// - Complexity: O(log t) for t tiers.
    public func tierIndex(forSize size: Quantity, notional: Money) -> Int {
        switch bound {
        case .notional:
            return tierIndex(forNotional: notional)
        case .baseQuantity:
            let value = size.magnitude
            var low = 0
            var high = sizeTiers.count - 1
            while low < high {
                let mid = (low + high) / 2
                if let cap = sizeTiers[mid].sizeCap, cap < value { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    /// The tier of a position as a notional bracket: on a size-bounded table, the size tier as one unbounded bracket
    /// (floor 0, no cap, no deduction) — within it maintenance is linear in the notional at every price.
    public func tier(forSize size: Quantity, notional: Money) -> MarginTier {
        let index = tierIndex(forSize: size, notional: notional)
        switch bound {
        case .notional:
            return tiers[index]
        case .baseQuantity:
            let tier = sizeTiers[index]
            return MarginTier(
                notionalFloor: .zero,
                notionalCap: nil,
                maxLeverage: tier.maxLeverage,
                maintenanceMarginRate: tier.maintenanceMarginRate,
                maintenanceDeduction: .zero
            )
        }
    }

    /// Maintenance margin of a position of `size` with notional `notional`: `|notional| × mmr − deduction` of its
    /// tier, the product rounded **up** (favours the venue).
    public func maintenanceMargin(forSize size: Quantity, notional: Money) throws(ArithmeticError) -> Money {
        let tier = tier(forSize: size, notional: notional)
        let gross = try notional.magnitude.times(tier.maintenanceMarginRate, rounding: .up)
        return gross - tier.maintenanceDeduction
    }

    /// The piecewise-linear maintenance schedule of a position of `size` as a function of its notional: one step per
    /// bracket of a notional table (the liquidation solver picks the bracket at the root's notional), and for a
    /// size-bounded table the single size tier over all notionals (the tier does not move with the price), reported
    /// with its index in ``sizeTiers``.
    public func maintenanceSteps(forSize size: Quantity, notional: Money) -> [MaintenanceStep] {
        switch bound {
        case .notional:
            return tiers.enumerated().map { index, tier in
                MaintenanceStep(
                    index: index,
                    floor: tier.notionalFloor,
                    cap: tier.notionalCap,
                    rate: tier.maintenanceMarginRate,
                    deduction: tier.maintenanceDeduction
                )
            }
        case .baseQuantity:
            let index = tierIndex(forSize: size, notional: notional)
            return [
                MaintenanceStep(
                    index: index,
                    floor: .zero,
                    cap: nil,
                    rate: sizeTiers[index].maintenanceMarginRate,
                    deduction: .zero
                )
            ]
        }
    }

    /// The largest maintenance rate of any tier (rates do not decrease, so the last one): the steepest slope of
    /// maintenance in notional, for bounds that must hold for every position.
    public var steepestMaintenanceRate: Rate {
        switch bound {
        case .notional: tiers[tiers.count - 1].maintenanceMarginRate
        case .baseQuantity: sizeTiers[sizeTiers.count - 1].maintenanceMarginRate
        }
    }
}
