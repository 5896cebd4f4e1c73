/// Which protocol (and Aave generation) a position or event stream follows.
public enum LendingProtocolKind: Sendable, Hashable, CustomStringConvertible {
    /// Aave v3 at a given rule generation.
    case aave(AaveVersion)
    /// Compound III (Comet).
    case compoundV3
    /// Maker Liquidations 2.0.
    case maker
    /// Morpho Blue.
    case morpho

    /// Parses a CLI name: `aave-v3` (latest rules, v3.7), `aave-v3.0`, `aave-v3.3`, `aave-v3.4`, `aave-v3.5`,
    /// `aave-v3.7`, `compound-v3`, `maker`, `morpho`.
    public init?(name: String) {
        switch name {
        case "aave-v3": self = .aave(.v37)
        case "compound-v3", "comet": self = .compoundV3
        case "maker": self = .maker
        case "morpho", "morpho-blue": self = .morpho
        default:
            guard name.hasPrefix("aave-v"), let v = AaveVersion(rawValue: String(name.dropFirst(6))) else { return nil }
            self = .aave(v)
        }
    }

    /// All accepted names.
    public static let names = [
        "aave-v3", "aave-v3.0", "aave-v3.3", "aave-v3.4", "aave-v3.5", "aave-v3.7", "compound-v3", "maker", "morpho",
    ]

    public var description: String {
        switch self {
        case .aave(let v): "aave-v\(v.rawValue)"
        case .compoundV3: "compound-v3"
        case .maker: "maker"
        case .morpho: "morpho"
        }
    }
}
