public import ArgumentParser
import FulcrumCore
public import FulcrumProofs

/// `fulcrum prove-bench`: time building a tree for N synthetic accounts, and the size and verify time of proofs.
///
/// Accounts are synthetic and seeded (SplitMix64), so two runs commit to the same tree; run it in release
/// (`swift run -c release`) for meaningful numbers.
public struct ProofsBenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "prove-bench",
        abstract: "Benchmark Merkle-sum proofs: build time, proof size and verify time for N accounts."
    )

    /// Number of accounts.
    @Option(help: "Number of synthetic accounts (default 1000000).")
    public var accounts = 1_000_000

    /// Pieces per account.
    @Option(help: "Leaves per account (default 2).")
    public var pieces = 2

    /// Proofs generated and verified for the per-proof numbers.
    @Option(help: "Proofs generated and verified for the per-proof timings (default 10000).")
    public var samples = 10_000

    /// Seed of the synthetic accounts.
    @Option(help: "Seed of the synthetic accounts.")
    public var seed: UInt64 = 1

    public init() {}

    /// Synthetic accounts: equities from −1,000 to 1,000,000 (about 3% negative), maintenance 0–5% of |equity|.
    public static func syntheticAccounts(count: Int, seed: UInt64) -> [LiabilityAccount] {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return (0..<count).map { i in
            let magnitude = Int64(next() % 100_000_000_000_000)  // up to 1,000,000.00000000
            let equity = next() % 32 == 0 ? -(magnitude / 1_000) : magnitude
            let maintenance = Int64(next() % 6) * (equity.magnitude > 0 ? Int64(equity.magnitude) / 100 : 0)
            return LiabilityAccount(
                id: UInt64(i),
                equity: Money(raw: equity),
                maintenanceMargin: Money(raw: maintenance)
            )
        }
    }

    /// Runs the benchmark and returns its report lines.
    public func render() throws -> String {
        let clock = ContinuousClock()
        let input = Self.syntheticAccounts(count: accounts, seed: seed)
        let secret = try EpochSecret(bytes: Array(repeating: 7, count: 32))
        var tree: LiabilityTree?
        let buildTime = try clock.measure {
            tree = try LiabilityTree(
                accounts: input,
                epoch: 1,
                secret: secret,
                configuration: LiabilityTreeConfiguration(piecesPerAccount: pieces)
            )
        }
        guard let tree else { return "no tree" }
        let count = min(samples, accounts)
        let stride = max(1, accounts / max(count, 1))
        var encoded: [[UInt8]] = []
        encoded.reserveCapacity(count)
        let proveTime = clock.measure {
            for s in 0..<count { encoded.append(tree.proof(atIndex: s * stride).encoded) }
        }
        let root = tree.rootHash
        var verified = 0
        let verifyTime = try clock.measure {
            for bytes in encoded {
                try InclusionProof(decoding: bytes).verify(publishedRoot: root)
                verified += 1
            }
        }
        func ms(_ d: Duration) -> String {
            let (s, a) = d.components
            let micros = s * 1_000_000 + a / 1_000_000_000_000
            return "\(micros / 1_000).\(String(micros % 1_000 + 1_000).dropFirst()) ms"
        }
        func perProof(_ d: Duration) -> String {
            let (s, a) = d.components
            let nanos = (s * 1_000_000_000 + a / 1_000_000_000) / Int64(max(count, 1))
            return "\(nanos / 1_000).\(String(nanos % 1_000 + 1_000).dropFirst()) µs"
        }
        let size = encoded.first?.count ?? 0
        return """
            accounts \(accounts), pieces/account \(pieces), leaves \(tree.commitment.leafCount) \
            (depth \(tree.commitment.leafCount.trailingZeroBitCount))
            root \(root)
            build (split, salt, shuffle, hash): \(ms(buildTime))
            proof generation: \(perProof(proveTime)) per proof (\(count) proofs)
            proof size: \(size) bytes
            verify (decode + check): \(perProof(verifyTime)) per proof (\(verified) verified)
            """
    }

    public func run() throws { print(try render()) }
}
