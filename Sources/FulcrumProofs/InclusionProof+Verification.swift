import FulcrumCore

extension InclusionProof {
    /// Verifies the proof against a published root hash and returns the account's committed values.
    ///
    /// Checks, in order: the root commitment hashes to `publishedRoot`; the pieces are pieces `0..<k` of this
    /// account with `k` matching every leaf; every leaf value is non-negative and at most one of Σ liability and
    /// Σ deficit is non-zero; the flags sit on piece 0 only and agree with the opened totals (`underMaintenance ⇔
    /// equity < maintenance`, `negativeEquity ⇔ deficit > 0`); the pieces occupy distinct leaves; every sibling
    /// sum is non-negative (no negative sibling can cancel liabilities) and the path recomputes the tree hash and
    /// root sums exactly.
    ///
    /// - Throws: ``ProofError`` (`.verificationFailed`) naming the failed check.
    @discardableResult
    public func verify(publishedRoot: Digest32) throws(ProofError) -> Opened {
        guard root.rootHash == publishedRoot else {
            throw ProofError(
                .verificationFailed,
                "root commitment hashes to \(root.rootHash), not the published root \(publishedRoot)"
            )
        }
        guard root.sums.isNonNegative else {
            throw ProofError(.verificationFailed, "root sums are negative")
        }
        let count = pieces.count
        guard (1...Self.maximumPieces).contains(count) else {
            throw ProofError(.verificationFailed, "pieceCount \(count) is not in 1...\(Self.maximumPieces)")
        }
        var liability = MoneySum()
        var maintenance = MoneySum()
        var deficit = MoneySum()
        var seen: Set<UInt64> = []
        for (p, piece) in pieces.enumerated() {
            let leaf = piece.leaf
            let field = "pieces[\(p)]"
            guard leaf.accountID == accountID, Int(leaf.pieceIndex) == p, Int(leaf.pieceCount) == count else {
                throw ProofError(
                    .verificationFailed,
                    "\(field) is piece \(leaf.pieceIndex) of \(leaf.pieceCount) of account \(leaf.accountID), "
                        + "expected piece \(p) of \(count) of account \(accountID)"
                )
            }
            guard !leaf.equity.isNegative, !leaf.maintenance.isNegative, !leaf.deficit.isNegative else {
                throw ProofError(.verificationFailed, "\(field) has a negative value")
            }
            guard p == 0 || (!leaf.underMaintenance && !leaf.negativeEquity) else {
                throw ProofError(.verificationFailed, "\(field) carries a flag; flags belong on piece 0 only")
            }
            guard seen.insert(piece.leafIndex).inserted else {
                throw ProofError(.verificationFailed, "\(field).leafIndex \(piece.leafIndex) is used twice")
            }
            liability += leaf.equity
            maintenance += leaf.maintenance
            deficit += leaf.deficit
            try Self.checkPath(piece, root: root, field: field)
        }
        guard liability.raw == 0 || deficit.raw == 0 else {
            throw ProofError(.verificationFailed, "account has both a liability \(liability) and a deficit \(deficit)")
        }
        guard let liabilityMoney = liability.money, let maintenanceMoney = maintenance.money,
            let deficitMoney = deficit.money
        else {
            throw ProofError(.verificationFailed, "account totals overflow 64-bit money")
        }
        let equity = Money(raw: liabilityMoney.raw - deficitMoney.raw)  // one of the two is zero: cannot overflow
        let first = pieces[0].leaf
        guard first.underMaintenance == (equity < maintenanceMoney) else {
            throw ProofError(
                .verificationFailed,
                "underMaintenance flag \(first.underMaintenance) disagrees with equity \(equity) "
                    + "and maintenance \(maintenanceMoney)"
            )
        }
        guard first.negativeEquity == equity.isNegative else {
            throw ProofError(
                .verificationFailed,
                "negativeEquity flag \(first.negativeEquity) disagrees with equity \(equity)"
            )
        }
        return Opened(
            accountID: accountID,
            equity: equity,
            maintenanceMargin: maintenanceMoney,
            underMaintenance: first.underMaintenance,
            negativeEquity: first.negativeEquity,
            root: root
        )
    }

    /// Recomputes one piece's path to the root and compares hash and sums with the commitment.
    static func checkPath(_ piece: PieceProof, root: RootCommitment, field: String) throws(ProofError) {
        let depth = root.leafCount.trailingZeroBitCount
        guard root.leafCount.nonzeroBitCount == 1, piece.path.count == depth, piece.leafIndex < root.leafCount else {
            throw ProofError(
                .verificationFailed,
                "\(field) path has \(piece.path.count) steps or leafIndex \(piece.leafIndex) does not fit "
                    + "leafCount \(root.leafCount)"
            )
        }
        var hash = piece.leaf.hash
        var sums = piece.leaf.sums
        var index = piece.leafIndex
        for (level, step) in piece.path.enumerated() {
            guard step.sums.isNonNegative else {
                throw ProofError(.verificationFailed, "\(field).path[\(level)] sibling has negative sums")
            }
            let parentSums = try sums.adding(step.sums)
            if index & 1 == 0 {
                hash = ProofHashing.nodeHash(leftHash: hash, leftSums: sums, rightHash: step.hash, rightSums: step.sums)
            } else {
                hash = ProofHashing.nodeHash(leftHash: step.hash, leftSums: step.sums, rightHash: hash, rightSums: sums)
            }
            sums = parentSums
            index >>= 1
        }
        guard hash == root.treeHash, sums == root.sums else {
            throw ProofError(
                .verificationFailed,
                "\(field) path recomputes tree hash \(hash), expected \(root.treeHash)"
                    + (sums == root.sums ? "" : " (sums differ from the root's)")
            )
        }
    }
}
