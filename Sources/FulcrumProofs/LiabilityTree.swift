import FulcrumCore

/// A Merkle-sum tree of one epoch's liabilities: every account split into randomly sized, salted leaves, padded with
/// zero leaves to a power of two and shuffled with a permutation derived from the epoch secret.
///
/// Building is deterministic: the same accounts (in any order of the input array), epoch, secret and configuration
/// give the same root. It is single-threaded by design so that the result cannot depend on scheduling.
public struct LiabilityTree: Sendable {
    /// The account identifier reserved for padding leaves; inputs may not use it.
    public static let reservedAccountID = UInt64.max

    /// One node: its hash and its sums.
    struct Node: Sendable {
        var hash: Digest32
        var sums: NodeSums
    }

    /// The published commitment (root hash via ``RootCommitment/rootHash``).
    public let commitment: RootCommitment
    /// The accounts committed, sorted by identifier.
    public let accounts: [LiabilityAccount]
    /// The configuration used.
    public let configuration: LiabilityTreeConfiguration

    /// Leaf openings in tree order (after shuffling).
    let leaves: [LeafOpening]
    /// `levels[0]` are the leaves' nodes, the last level is the top node.
    let levels: [[Node]]
    /// For account `a` (index into ``accounts``) and piece `p`: the tree position of that piece.
    let positions: [UInt64]

    /// The published root hash.
    public var rootHash: Digest32 { commitment.rootHash }

    /// Builds the tree.
    ///
    /// - Parameters:
    ///   - accounts: one record per account; identifiers must be unique and not ``reservedAccountID``;
    ///     maintenance margins non-negative.
    ///   - epoch: the epoch number (bound into every salt and into the root hash).
    ///   - secret: the venue's epoch secret.
    /// - Throws: ``ProofError`` (`.invalidInput`) naming the field and value of the first bad record.
    public init(
        accounts input: [LiabilityAccount],
        epoch: UInt64,
        secret: EpochSecret,
        configuration: LiabilityTreeConfiguration = LiabilityTreeConfiguration()
    ) throws(ProofError) {
        let k = configuration.piecesPerAccount
        guard (1...InclusionProof.maximumPieces).contains(k) else {
            throw ProofError(
                .invalidInput,
                "piecesPerAccount \(k) is not in 1...\(InclusionProof.maximumPieces)"
            )
        }
        for (i, account) in input.enumerated() {
            guard account.id != Self.reservedAccountID else {
                throw ProofError(.invalidInput, "accounts[\(i)].id \(account.id) is reserved for padding")
            }
            guard !account.maintenanceMargin.isNegative else {
                throw ProofError(
                    .invalidInput,
                    "accounts[\(i)].maintenanceMargin \(account.maintenanceMargin) is negative (account \(account.id))"
                )
            }
            guard account.equity.raw != Int64.min else {
                throw ProofError(.invalidInput, "accounts[\(i)].equity \(account.equity) is out of range")
            }
        }
        let sorted = input.sorted { $0.id < $1.id }
        for i in sorted.indices.dropFirst() where sorted[i].id == sorted[i - 1].id {
            throw ProofError(.invalidInput, "accounts: id \(sorted[i].id) appears more than once")
        }
        let (pieceLeaves, overflow) = sorted.count.multipliedReportingOverflow(by: k)
        let maximumLeaves = 1 << InclusionProof.maximumDepth
        guard !overflow, pieceLeaves <= maximumLeaves else {
            throw ProofError(.invalidInput, "accounts: \(sorted.count) accounts × \(k) pieces exceed 2^40 leaves")
        }
        var leafCount = 2
        while leafCount < pieceLeaves { leafCount <<= 1 }

        // Leaf ordinals: account a's piece p is ordinal a·k + p; padding follows.
        var ordinalLeaves: [LeafOpening] = []
        ordinalLeaves.reserveCapacity(leafCount)
        for account in sorted {
            ordinalLeaves.append(contentsOf: Self.pieces(of: account, count: k, epoch: epoch, secret: secret))
        }
        var padIndex: UInt64 = 0
        while ordinalLeaves.count < leafCount {
            ordinalLeaves.append(
                LeafOpening(
                    salt: secret.mac(Self.message("pad", epoch, padIndex, 0)),
                    accountID: Self.reservedAccountID,
                    pieceIndex: 0,
                    pieceCount: 0,
                    equity: .zero,
                    maintenance: .zero,
                    deficit: .zero,
                    underMaintenance: false,
                    negativeEquity: false
                )
            )
            padIndex += 1
        }

        // Per-epoch permutation: Fisher–Yates driven by HMAC(secret, "shuffle" ‖ epoch).
        var order = Array(0..<UInt64(leafCount))
        var stream = KeyedStream(seed: secret.mac(Self.message("shuffle", epoch, 0, 0)))
        var i = leafCount - 1
        while i > 0 {
            let j = Int(stream.uniform(through: UInt64(i)))
            order.swapAt(i, j)
            i -= 1
        }
        var positions = [UInt64](repeating: 0, count: pieceLeaves)
        var leaves: [LeafOpening] = []
        leaves.reserveCapacity(leafCount)
        for (position, ordinal) in order.enumerated() {
            leaves.append(ordinalLeaves[Int(ordinal)])
            if ordinal < UInt64(pieceLeaves) { positions[Int(ordinal)] = UInt64(position) }
        }

        var levels: [[Node]] = [leaves.map { Node(hash: $0.hash, sums: $0.sums) }]
        while levels[levels.count - 1].count > 1 {
            let below = levels[levels.count - 1]
            var level: [Node] = []
            level.reserveCapacity(below.count / 2)
            var n = 0
            while n < below.count {
                let left = below[n]
                let right = below[n + 1]
                level.append(
                    Node(
                        hash: ProofHashing.nodeHash(
                            leftHash: left.hash,
                            leftSums: left.sums,
                            rightHash: right.hash,
                            rightSums: right.sums
                        ),
                        // Every leaf value is a share of one 64-bit amount and there are at most 2^40 leaves:
                        // 128-bit sums cannot overflow here.
                        sums: try left.sums.adding(right.sums)
                    )
                )
                n += 2
            }
            levels.append(level)
        }
        let top = levels[levels.count - 1][0]
        self.commitment = RootCommitment(
            epoch: epoch,
            leafCount: UInt64(leafCount),
            sums: top.sums,
            treeHash: top.hash
        )
        self.accounts = sorted
        self.configuration = configuration
        self.leaves = leaves
        self.levels = levels
        self.positions = positions
    }

    /// The inclusion proof of the account at `index` in ``accounts``.
    public func proof(atIndex index: Int) -> InclusionProof {
        let k = configuration.piecesPerAccount
        let pieces = (0..<k).map { p in
            let position = positions[index * k + p]
            var path: [PathStep] = []
            path.reserveCapacity(levels.count - 1)
            var at = Int(position)
            for level in levels.dropLast() {
                let sibling = level[at ^ 1]
                path.append(PathStep(hash: sibling.hash, sums: sibling.sums))
                at >>= 1
            }
            return PieceProof(leafIndex: position, leaf: leaves[Int(position)], path: path)
        }
        return InclusionProof(root: commitment, accountID: accounts[index].id, pieces: pieces)
    }

    /// The inclusion proof of an account by identifier.
    ///
    /// - Throws: ``ProofError`` (`.invalidInput`) when the account is not in the tree.
    public func proof(forAccount id: UInt64) throws(ProofError) -> InclusionProof {
        var low = 0
        var high = accounts.count
        while low < high {
            let mid = low + (high - low) / 2  // index midpoint; plain Int arithmetic, not money
            if accounts[mid].id < id { low = mid + 1 } else { high = mid }
        }
        guard low < accounts.count, accounts[low].id == id else {
            throw ProofError(.invalidInput, "account \(id) is not in the tree")
        }
        return proof(atIndex: low)
    }

    /// Splits an account into `count` leaves with random shares (uniform cut points in `0...value`, sorted), so the
    /// shares add up to the account's values exactly.
    static func pieces(of account: LiabilityAccount, count k: Int, epoch: UInt64, secret: EpochSecret) -> [LeafOpening]
    {
        var stream = KeyedStream(seed: secret.mac(message("split", epoch, account.id, 0)))
        let equity = split(account.liability.raw, into: k, using: &stream)
        let maintenance = split(account.maintenanceMargin.raw, into: k, using: &stream)
        let deficit = split(account.deficit.raw, into: k, using: &stream)
        let under = account.isUnderMaintenance
        let negative = account.equity.isNegative
        return (0..<k).map { (p: Int) -> LeafOpening in
            LeafOpening(
                salt: secret.mac(message("salt", epoch, account.id, UInt8(p))),
                accountID: account.id,
                pieceIndex: UInt8(p),
                pieceCount: UInt8(k),
                equity: Money(raw: equity[p]),
                maintenance: Money(raw: maintenance[p]),
                deficit: Money(raw: deficit[p]),
                underMaintenance: p == 0 && under,
                negativeEquity: p == 0 && negative
            )
        }
    }

    /// `value` (≥ 0) as `k` non-negative shares that add up to it exactly.
    static func split(_ value: Int64, into k: Int, using stream: inout KeyedStream) -> [Int64] {
        guard k > 1 else { return [value] }
        var cuts = (0..<(k - 1)).map { _ in Int64(stream.uniform(through: UInt64(value))) }
        cuts.sort()
        var shares: [Int64] = []
        var previous: Int64 = 0
        for cut in cuts {
            shares.append(cut - previous)  // 0 ≤ previous ≤ cut ≤ value: cannot overflow
            previous = cut
        }
        shares.append(value - previous)
        return shares
    }

    /// The HMAC message `label ‖ epoch ‖ id ‖ piece` used to derive salts and seeds.
    static func message(_ label: String, _ epoch: UInt64, _ id: UInt64, _ piece: UInt8) -> [UInt8] {
        var bytes = Array("fulcrum-pol-v1/\(label)".utf8)
        bytes.append(0)
        ProofBytes.append(epoch, to: &bytes)
        ProofBytes.append(id, to: &bytes)
        bytes.append(piece)
        return bytes
    }
}
