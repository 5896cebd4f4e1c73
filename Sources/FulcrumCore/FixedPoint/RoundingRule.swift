/// How a division that does not come out even is rounded.
///
/// Fulcrum never divides with a bare `/`: every call site names one of these rules and states, in a comment,
/// whom the rounding favours (the venue, the insurance fund, the trader). Where a venue publishes its convention
/// the profile follows it (dYdX rounds margin requirements up and bankruptcy prices toward +∞).
public enum RoundingRule: Sendable, Hashable, CaseIterable {
    /// Truncate toward zero (`-1.5 → -1`, `1.5 → 1`).
    case towardZero
    /// Floor: toward −∞ (`-1.5 → -2`, `1.5 → 1`).
    case down
    /// Ceiling: toward +∞ (`-1.5 → -1`, `1.5 → 2`).
    case up
    /// Away from zero (`-1.5 → -2`, `1.5 → 2`).
    case awayFromZero
    /// To nearest; ties to the even neighbour (banker's rounding: `0.5 → 0`, `1.5 → 2`).
    case halfEven
}
