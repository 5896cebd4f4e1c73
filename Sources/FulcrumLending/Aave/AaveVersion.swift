import FulcrumCore

/// The Aave v3 generation whose rules a pool follows. Each flag below names the release that introduced it.
///
/// | rule | v3.0 | v3.3 | v3.4 | v3.5 | v3.7 |
/// |---|---|---|---|---|---|
/// | close factor | 50% of one reserve unless HF ≤ 0.95 | position-wide, $2,000 legs, $1,000 dust | = | = | = |
/// | deficit write-off | no | yes | yes | yes | yes |
/// | borrow-index compounding | binomial (3 terms, per-second rate) | binomial | Taylor eˣ | Taylor | Taylor |
/// | balances & valuation | half-up; debt value floored | = | = | collateral floor, debt ceil | = |
/// | liquidation split | half-up | = | = | debt-needed ceil | bonus/fee floor/ceil |
/// | isolation mode (debt ceilings) | yes | yes | yes | yes | removed |
public enum AaveVersion: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The original v3 release (`aave/aave-v3-core`).
    case v30 = "3.0"
    /// v3.3: position-wide close factor, dust rule, deficit.
    case v33 = "3.3"
    /// v3.4: Taylor-series compounding.
    case v34 = "3.4"
    /// v3.5: directional rounding (collateral down, debt up).
    case v35 = "3.5"
    /// v3.7: floor/ceil liquidation split, isolation mode removed (`aave-dao/aave-v3-origin`).
    case v37 = "3.7"

    private var order: Int {
        switch self {
        case .v30: 0
        case .v33: 1
        case .v34: 2
        case .v35: 3
        case .v37: 4
        }
    }

    public static func < (lhs: AaveVersion, rhs: AaveVersion) -> Bool { lhs.order < rhs.order }

    /// v3.3+: 50% of the position's total debt only when HF > 0.95 and both legs ≥ $2,000.
    public var positionWideCloseFactor: Bool { self >= .v33 }
    /// v3.3+: no partial liquidation may leave less than $1,000 of debt or collateral.
    public var dustRule: Bool { self >= .v33 }
    /// v3.3+: debt left without collateral is burned into `reserve.deficit`.
    public var writesOffDeficit: Bool { self >= .v33 }
    /// v3.4+: Taylor expansion of eˣ instead of the binomial expansion.
    public var taylorCompounding: Bool { self >= .v34 }
    /// v3.5+: collateral rounded down and debt rounded up (balances and base-currency values).
    public var directionalRounding: Bool { self >= .v35 }
    /// v3.7: bonus and protocol-fee split floor/ceil (earlier: half-up).
    public var floorCeilLiquidationSplit: Bool { self >= .v37 }
    /// Before v3.7: isolation mode with debt ceilings.
    public var hasIsolationMode: Bool { self < .v37 }
    /// v3.7 computes HF from the un-averaged numerator Σ V·LT; earlier versions average LT first.
    public var healthFromNumerator: Bool { self >= .v37 }
}
