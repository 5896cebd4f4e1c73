public import FulcrumCore
public import FulcrumEngine

/// Counts and money totals of effects by kind (in ``Effect/Kind`` declaration order).
public struct ReplayEffectSummary: Sendable, Hashable {
    /// One kind's totals.
    public struct Row: Sendable, Hashable {
        /// The kind.
        public var kind: Effect.Kind
        /// How many effects of this kind.
        public var count: Int
        /// Σ `amount`.
        public var amount: MoneySum
        /// Σ `insuranceDelta`.
        public var insuranceDelta: MoneySum
    }

    /// One row per kind, in declaration order.
    public private(set) var rows: [Row] = Effect.Kind.allCases.map {
        Row(kind: $0, count: 0, amount: MoneySum(), insuranceDelta: MoneySum())
    }
    private static let order: [Effect.Kind: Int] = Dictionary(
        uniqueKeysWithValues: Effect.Kind.allCases.enumerated().map { ($1, $0) }
    )

    /// An empty summary.
    public init() {}

    /// Adds effects.
    public mutating func add(_ effects: [Effect]) {
        for effect in effects {
            guard let index = Self.order[effect.kind] else { continue }
            rows[index].count += 1
            rows[index].amount += effect.amount
            rows[index].insuranceDelta += effect.insuranceDelta
        }
    }

    /// The row of `kind`.
    public func row(_ kind: Effect.Kind) -> Row { rows[Self.order[kind] ?? 0] }
}
