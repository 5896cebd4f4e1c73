public import FulcrumCore

/// The totals a Merkle-sum node carries and commits to in its hash.
///
/// Every field is non-negative in a well-formed tree: equities are clamped at zero (a negative equity is carried as
/// a positive ``deficit`` instead), so a venue cannot cancel liabilities with fake negative leaves (the attack on
/// Maxwell's tree described by Hu, Zhang and Guo 2018 and in Binance's proof-of-reserves notes).
@frozen
public struct NodeSums: Sendable, Hashable {
    /// Σ max(equity, 0): what the venue owes its users (its liabilities).
    public var equity: MoneySum
    /// Σ maintenance margin.
    public var maintenance: MoneySum
    /// Σ max(−equity, 0): what underwater accounts owe the venue (not a liability; reported, never netted).
    public var deficit: MoneySum
    /// Number of accounts whose equity is below their maintenance margin.
    public var underMaintenance: UInt64
    /// Number of accounts whose equity is negative.
    public var negativeEquity: UInt64

    /// All zeros (a padding leaf).
    public static let zero = NodeSums(
        equity: MoneySum(),
        maintenance: MoneySum(),
        deficit: MoneySum(),
        underMaintenance: 0,
        negativeEquity: 0
    )

    /// Creates totals from their fields.
    @inlinable
    public init(
        equity: MoneySum,
        maintenance: MoneySum,
        deficit: MoneySum,
        underMaintenance: UInt64,
        negativeEquity: UInt64
    ) {
        self.equity = equity
        self.maintenance = maintenance
        self.deficit = deficit
        self.underMaintenance = underMaintenance
        self.negativeEquity = negativeEquity
    }

    /// Size of the canonical encoding: three 128-bit and two 64-bit big-endian integers.
    public static let encodedSize = 16 * 3 + 8 * 2

    /// Whether every money field is non-negative (counts are unsigned).
    @inlinable
    public var isNonNegative: Bool { equity.raw >= 0 && maintenance.raw >= 0 && deficit.raw >= 0 }

    /// `self + other` field by field, reporting any overflow as an error naming the field.
    public func adding(_ other: NodeSums) throws(ProofError) -> NodeSums {
        func add128(_ a: Int128, _ b: Int128, _ field: String) throws(ProofError) -> Int128 {
            let (sum, overflow) = a.addingReportingOverflow(b)
            guard !overflow else { throw ProofError(.verificationFailed, "\(field) sum \(a) + \(b) overflows") }
            return sum
        }
        func add64(_ a: UInt64, _ b: UInt64, _ field: String) throws(ProofError) -> UInt64 {
            let (sum, overflow) = a.addingReportingOverflow(b)
            guard !overflow else { throw ProofError(.verificationFailed, "\(field) count \(a) + \(b) overflows") }
            return sum
        }
        return NodeSums(
            equity: MoneySum(raw: try add128(equity.raw, other.equity.raw, "equity")),
            maintenance: MoneySum(raw: try add128(maintenance.raw, other.maintenance.raw, "maintenance")),
            deficit: MoneySum(raw: try add128(deficit.raw, other.deficit.raw, "deficit")),
            underMaintenance: try add64(underMaintenance, other.underMaintenance, "underMaintenance"),
            negativeEquity: try add64(negativeEquity, other.negativeEquity, "negativeEquity")
        )
    }

    /// Appends the canonical big-endian encoding (``encodedSize`` bytes).
    @inlinable
    public func appendBytes(to buffer: inout [UInt8]) {
        ProofBytes.append(equity.raw, to: &buffer)
        ProofBytes.append(maintenance.raw, to: &buffer)
        ProofBytes.append(deficit.raw, to: &buffer)
        ProofBytes.append(underMaintenance, to: &buffer)
        ProofBytes.append(negativeEquity, to: &buffer)
    }
}
