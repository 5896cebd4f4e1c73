import FulcrumCore
import Testing

@testable import FulcrumProofs

/// Every tampering with a proof, a leaf, a sum or the root must fail verification.
struct ProofTamperingTests {
    static func tree(pieces: Int = 2) throws -> LiabilityTree {
        try LiabilityTree(
            accounts: ProofFixtures.small,
            epoch: 7,
            secret: ProofFixtures.secret(),
            configuration: LiabilityTreeConfiguration(piecesPerAccount: pieces)
        )
    }

    static func verifies(_ bytes: [UInt8], root: Digest32) -> Bool {
        (try? InclusionProof(decoding: bytes).verify(publishedRoot: root)) != nil
    }

    @Test(arguments: [1, 2])
    func everySingleBitFlipOfEveryProofFails(pieces: Int) throws {
        let tree = try Self.tree(pieces: pieces)
        for account in ProofFixtures.small {
            let bytes = try tree.proof(forAccount: account.id).encoded
            #expect(Self.verifies(bytes, root: tree.rootHash))
            var accepted: [Int] = []
            for bit in 0..<(bytes.count * 8) {
                var flipped = bytes
                flipped[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
                if Self.verifies(flipped, root: tree.rootHash) { accepted.append(bit) }
            }
            #expect(accepted.isEmpty, "account \(account.id): flipped bits \(accepted) still verify")
        }
    }

    @Test func everySingleBitFlipOfThePublishedRootFails() throws {
        let tree = try Self.tree()
        let proof = try tree.proof(forAccount: 1)
        let root = tree.rootHash.bytes
        for bit in 0..<256 {
            var flipped = root
            flipped[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            #expect(throws: ProofError.self) { try proof.verify(publishedRoot: try Digest32(bytes: flipped)) }
        }
    }

    @Test func truncatedOrExtendedProofsAreMalformed() throws {
        let tree = try Self.tree()
        let bytes = try tree.proof(forAccount: 3).encoded
        for length in [0, 4, 5, bytes.count / 2, bytes.count - 1] {
            let error = #expect(throws: ProofError.self) { try InclusionProof(decoding: Array(bytes.prefix(length))) }
            #expect(error?.kind == .malformed)
        }
        let error = #expect(throws: ProofError.self) { try InclusionProof(decoding: bytes + [0]) }
        #expect(error?.message.contains("1 trailing bytes") == true)
    }

    @Test func aProofCannotBeReusedForAnotherAccountOrEpoch() throws {
        let tree = try Self.tree()
        var proof = try tree.proof(forAccount: 1)
        // Claiming account 1's leaves for account 7 changes the leaf hashes (the id is inside each leaf).
        proof.accountID = 7
        for p in proof.pieces.indices { proof.pieces[p].leaf.accountID = 7 }
        #expect(throws: ProofError.self) { try proof.verify(publishedRoot: tree.rootHash) }
        // The same accounts in another epoch: the old proof does not verify against the new root.
        let next = try LiabilityTree(accounts: ProofFixtures.small, epoch: 8, secret: ProofFixtures.secret())
        #expect(throws: ProofError.self) { try tree.proof(forAccount: 1).verify(publishedRoot: next.rootHash) }
    }

    @Test func aWrongUnderMaintenanceFlagIsCaughtByTheOwner() throws {
        // A venue that clears the flag of account 3 (4.99999999 < 5) must rehash the leaf; even with a consistent
        // tree around it the owner's check "flag ⇔ equity < maintenance" rejects the opening.
        let account = ProofFixtures.small[2]
        var leaves = LiabilityTree.pieces(of: account, count: 1, epoch: 1, secret: ProofFixtures.secret())
        leaves[0].underMaintenance = false
        let pad = LeafOpening(
            salt: .zero,
            accountID: LiabilityTree.reservedAccountID,
            pieceIndex: 0,
            pieceCount: 0,
            equity: .zero,
            maintenance: .zero,
            deficit: .zero,
            underMaintenance: false,
            negativeEquity: false
        )
        let proof = Self.twoLeafProof(mine: leaves[0], sibling: pad)
        let error = #expect(throws: ProofError.self) { try proof.verify(publishedRoot: proof.root.rootHash) }
        #expect(error?.message.contains("underMaintenance flag false disagrees") == true)
    }

    @Test func aNegativeSiblingCannotCancelLiabilities() throws {
        // The attack on unclamped summation trees (Hu, Zhang, Guo, ePrint 2018/1139; Binance PoR notes): a fake
        // account with a negative balance shrinks the root total. Here the sibling leaf carries −123.45 so the
        // root claims zero liabilities; the hashes are all consistent, only the sign check rejects it.
        let honest = LiabilityTree.pieces(
            of: ProofFixtures.small[0],
            count: 1,
            epoch: 1,
            secret: ProofFixtures.secret()
        )[0]
        let fake = LeafOpening(
            salt: .zero,
            accountID: 999,
            pieceIndex: 0,
            pieceCount: 1,
            equity: ProofFixtures.money("-123.45"),
            maintenance: .zero,
            deficit: .zero,
            underMaintenance: false,
            negativeEquity: false
        )
        let proof = Self.twoLeafProof(mine: honest, sibling: fake)
        #expect(proof.root.sums.equity == MoneySum())
        let error = #expect(throws: ProofError.self) { try proof.verify(publishedRoot: proof.root.rootHash) }
        #expect(error?.message.contains("negative") == true)
    }

    /// A hand-built two-leaf tree (leaf 0 is `mine`), hashed with the real node and root hashes.
    static func twoLeafProof(mine: LeafOpening, sibling: LeafOpening) -> InclusionProof {
        let treeHash = ProofHashing.nodeHash(
            leftHash: mine.hash,
            leftSums: mine.sums,
            rightHash: sibling.hash,
            rightSums: sibling.sums
        )
        var sums = mine.sums
        sums.equity = sums.equity + sibling.sums.equity
        sums.maintenance = sums.maintenance + sibling.sums.maintenance
        sums.deficit = sums.deficit + sibling.sums.deficit
        sums.underMaintenance += sibling.sums.underMaintenance
        sums.negativeEquity += sibling.sums.negativeEquity
        let root = RootCommitment(epoch: 1, leafCount: 2, sums: sums, treeHash: treeHash)
        return InclusionProof(
            root: root,
            accountID: mine.accountID,
            pieces: [PieceProof(leafIndex: 0, leaf: mine, path: [PathStep(hash: sibling.hash, sums: sibling.sums)])]
        )
    }
}
