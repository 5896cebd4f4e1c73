public import FulcrumCore

extension Scenario {
    /// Parameters `--sweep` (and scenario overrides) can set, with their units.
    public static let sweepableParameters: [String: String] = [
        "insuranceFund": "quote units",
        "depthScale": "multiplier of book depth",
        "shock": "instant drop in percent at the shock step (20 = −20 %)",
        "maintenanceScale": "multiplier of every tier's maintenance margin rate",
        "resilience": "fraction of consumed depth refilled per step",
        "permanentImpact": "fraction of displacement that does not revert",
        "keeperThroughput": "liquidations per step",
        "hunterCapital": "quote units per attack",
        "accounts": "population size",
    ]

    /// A copy with `parameter` set to `value`.
    ///
    /// - Throws: ``LabError`` naming the parameter when it is unknown or the value is out of range.
    public func setting(_ parameter: String, to value: Double) throws(LabError) -> Scenario {
        guard value.isFinite else { throw LabError("\(parameter) value \(value) is not finite") }
        var copy = self
        switch parameter {
        case "insuranceFund":
            guard value >= 0, value < 9e10 else { throw LabError("insuranceFund \(value) must be in [0, 9e10)") }
            copy.insuranceFund = Money(raw: Int64((value * 1e8).rounded(.down)))
        case "depthScale":
            guard value > 0 else { throw LabError("depthScale \(value) must be positive") }
            copy.liquidity.depthScale = value
        case "shock":
            guard value > -1_000, value < 100 else { throw LabError("shock \(value) must be in (-1000, 100) percent") }
            copy.priceModel = copy.priceModel.withShock(fraction: -value / 100)
        case "maintenanceScale":
            copy.market = try market.scalingMaintenance(by: value)
        case "resilience":
            copy.liquidity.resilience = value
        case "permanentImpact":
            copy.liquidity.permanentImpact = value
        case "keeperThroughput":
            guard value >= 1, value < 1e9 else { throw LabError("keeperThroughput \(value) must be in [1, 1e9)") }
            copy.keeper.maxLiquidationsPerStep = Int(value)
        case "hunterCapital":
            copy.agents.hunterCapital = value
        case "accounts":
            guard value >= 0, value <= 50_000_000 else { throw LabError("accounts \(value) must be in 0...50000000") }
            copy.population.count = Int(value)
        default:
            let known = Scenario.sweepableParameters.keys.sorted().joined(separator: ", ")
            throw LabError("unknown parameter \"\(parameter)\" (known: \(known))")
        }
        try copy.validate()
        return copy
    }
}

extension PriceModel {
    /// The model with its instant shock set to `fraction` (replacing an existing shock, or adding one at step 60
    /// when the model has none).
    public func withShock(fraction: Double) -> PriceModel {
        switch self {
        case .shocked(let base, _, let step): .shocked(base, fraction: fraction, atStep: step)
        case .instantShock(_, let step): .instantShock(fraction: fraction, atStep: step)
        default: .shocked(self, fraction: fraction, atStep: 60)
        }
    }
}

extension MarketSpec {
    /// The market with every tier's maintenance rate multiplied by `factor` (rounded half-even to 10⁻⁸; a
    /// configuration change, favours no one) and deductions re-derived by the continuity recurrence.
    ///
    /// - Throws: ``LabError`` when a scaled rate leaves `[0, 1)` or the table breaks an invariant.
    public func scalingMaintenance(by factor: Double) throws(LabError) -> MarketSpec {
        guard factor > 0, factor.isFinite else { throw LabError("maintenanceScale \(factor) must be positive") }
        var rows: [(floor: Money, cap: Money?, maxLeverage: Leverage, maintenanceMarginRate: Rate)] = []
        for tier in tiers.tiers {
            let scaled = (Double(tier.maintenanceMarginRate.raw) * factor).rounded(.toNearestOrEven)
            guard scaled >= 0, scaled < 1e8 else {
                throw LabError("maintenanceScale \(factor) makes rate \(tier.maintenanceMarginRate) leave [0, 1)")
            }
            rows.append((tier.notionalFloor, tier.notionalCap, tier.maxLeverage, Rate(raw: Int64(scaled))))
        }
        var copy = self
        do {
            copy.tiers = try MarginTierTable.derivingDeductions(rows)
        } catch {
            throw LabError("maintenanceScale \(factor): \(error)")
        }
        return copy
    }
}
