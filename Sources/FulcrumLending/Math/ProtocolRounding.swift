/// The rounding modes the lending protocols' integer libraries use.
///
/// Aave's `WadRayMath`/`PercentageMath` default to half-up; v3.5+ adds explicit floor/ceil variants; Morpho,
/// Compound III and Maker floor (`/`) or ceil (`mulDivUp`, `toSharesUp`). Each call site says whom it favours.
public enum ProtocolRounding: Sendable, Hashable, CaseIterable {
    /// Toward zero (all amounts here are non-negative): Solidity's `/`.
    case floor
    /// Toward +∞: `(a·b + d − 1) / d`.
    case ceil
    /// To nearest, ties up: `(a·b + d/2) / d` as in Aave's `rayMul`/`rayDiv`/`percentMul`.
    case halfUp
}
