import FulcrumCore
import PropertyBased
import Testing

@testable import FulcrumProofs

/// Building, proving and verifying Merkle-sum trees of liabilities.
struct LiabilityTreeTests {
    @Test func sha256MatchesTheFIPS180Example() {
        // FIPS 180-2, Appendix B.1 (one-block message "abc"); checks our digest byte order.
        #expect(
            ProofHashing.sha256(Array("abc".utf8)).description
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
    }

    @Test(arguments: [1, 2, 3, 5])
    func everyAccountsProofVerifiesAndOpensItsOwnValues(pieces: Int) throws {
        let tree = try LiabilityTree(
            accounts: ProofFixtures.small,
            epoch: 42,
            secret: ProofFixtures.secret(),
            configuration: LiabilityTreeConfiguration(piecesPerAccount: pieces)
        )
        for account in ProofFixtures.small {
            let proof = try tree.proof(forAccount: account.id)
            let decoded = try InclusionProof(decoding: proof.encoded)
            #expect(decoded == proof)
            let opened = try decoded.verify(publishedRoot: tree.rootHash)
            #expect(opened.accountID == account.id)
            #expect(opened.equity == account.equity)
            #expect(opened.maintenanceMargin == account.maintenanceMargin)
            #expect(opened.underMaintenance == (account.equity < account.maintenanceMargin))
            #expect(opened.negativeEquity == account.equity.isNegative)
            #expect(opened.root.epoch == 42)
        }
    }

    @Test func rootTotalsAndCountsOfTheSmallSetAreExact() throws {
        let tree = try LiabilityTree(accounts: ProofFixtures.small, epoch: 1, secret: ProofFixtures.secret())
        let sums = tree.commitment.sums
        // Liabilities: 123.45 + 50 + 4.99999999 + 0 (clamped) + 0 = 178.44999999.
        #expect(sums.equity == MoneySum(ProofFixtures.money("178.44999999")))
        // Maintenance: 10 + 50 + 5 + 2.5 + 0 = 67.5.
        #expect(sums.maintenance == MoneySum(ProofFixtures.money("67.5")))
        #expect(sums.deficit == MoneySum(ProofFixtures.money("17.25")))
        // Under maintenance: account 3 (4.99999999 < 5) and account 12 (negative); 50 = 50 is not under.
        #expect(sums.underMaintenance == 2)
        #expect(sums.negativeEquity == 1)
        // 5 accounts × 2 pieces = 10 leaves, padded to 16.
        #expect(tree.commitment.leafCount == 16)
        #expect(tree.commitment.isCovered(by: MoneySum(ProofFixtures.money("178.44999999"))))
        #expect(!tree.commitment.isCovered(by: MoneySum(ProofFixtures.money("178.44999998"))))
    }

    @Test func sumsConserveToTheUnit() async {
        await propertyCheck(count: 60, input: Gen.uint64(), Gen.int(in: 0...40), Gen.int(in: 1...4)) {
            seed,
            count,
            pieces in
            let accounts = ProofFixtures.random(count: count, seed: seed)
            let tree = try LiabilityTree(
                accounts: accounts,
                epoch: seed % 1_000,
                secret: ProofFixtures.secret(UInt8(truncatingIfNeeded: seed)),
                configuration: LiabilityTreeConfiguration(piecesPerAccount: pieces)
            )
            var liabilities = MoneySum()
            var maintenance = MoneySum()
            var deficit = MoneySum()
            for account in accounts {
                liabilities.raw += max(Int128(account.equity.raw), 0)
                deficit.raw += max(-Int128(account.equity.raw), 0)
                maintenance += account.maintenanceMargin
            }
            let sums = tree.commitment.sums
            #expect(sums.equity == liabilities)
            #expect(sums.maintenance == maintenance)
            #expect(sums.deficit == deficit)
            #expect(sums.underMaintenance == UInt64(accounts.count { $0.equity < $0.maintenanceMargin }))
            #expect(sums.negativeEquity == UInt64(accounts.count { $0.equity.isNegative }))
            // Every account's proof verifies and opens exactly its input values.
            for account in accounts {
                let opened = try tree.proof(forAccount: account.id).verify(publishedRoot: tree.rootHash)
                #expect(opened.equity == account.equity)
                #expect(opened.maintenanceMargin == account.maintenanceMargin)
            }
        }
    }

    @Test func sameInputAndSecretGiveTheSameRootInAnyInputOrder() throws {
        let secret = ProofFixtures.secret()
        let accounts = ProofFixtures.random(count: 200, seed: 99)
        let a = try LiabilityTree(accounts: accounts, epoch: 5, secret: secret)
        let b = try LiabilityTree(accounts: accounts.reversed(), epoch: 5, secret: secret)
        #expect(a.rootHash == b.rootHash)
        #expect(try a.proof(forAccount: accounts[17].id) == b.proof(forAccount: accounts[17].id))
        // Another secret reshuffles and resalts: other root hash, same totals.
        let c = try LiabilityTree(accounts: accounts, epoch: 5, secret: ProofFixtures.secret(0x01))
        #expect(c.rootHash != a.rootHash)
        #expect(c.commitment.sums == a.commitment.sums)
        // Another epoch with the same secret also gives another root (salts and permutation depend on the epoch).
        let d = try LiabilityTree(accounts: accounts, epoch: 6, secret: secret)
        #expect(d.rootHash != a.rootHash)
        #expect(d.commitment.treeHash != a.commitment.treeHash)
    }

    @Test func theShuffleMovesLeavesBetweenEpochs() throws {
        let accounts = ProofFixtures.random(count: 64, seed: 3)
        let secret = ProofFixtures.secret()
        let a = try LiabilityTree(accounts: accounts, epoch: 1, secret: secret)
        let b = try LiabilityTree(accounts: accounts, epoch: 2, secret: secret)
        let moved = accounts.indices.count { a.positions[$0 * 2] != b.positions[$0 * 2] }
        // 64 first pieces among 128 leaves: a fixed position for more than a handful would mean no shuffle.
        #expect(moved > 50)
        // Pieces are split at random: the first piece is rarely the whole balance.
        let wholeFirstPiece = accounts.indices.count { index in
            accounts[index].liability.isPositive
                && a.leaves[Int(a.positions[index * 2])].equity == accounts[index].liability
        }
        #expect(wholeFirstPiece < 5)
    }

    @Test func badInputIsRejectedNamingTheFieldAndValue() throws {
        let secret = ProofFixtures.secret()
        var accounts = ProofFixtures.small
        accounts[2].maintenanceMargin = ProofFixtures.money("-1")
        let negative = #expect(throws: ProofError.self) {
            try LiabilityTree(accounts: accounts, epoch: 1, secret: secret)
        }
        #expect(negative?.message.contains("accounts[2].maintenanceMargin -1") == true)

        accounts = ProofFixtures.small
        accounts[4].id = 1
        let duplicate = #expect(throws: ProofError.self) {
            try LiabilityTree(accounts: accounts, epoch: 1, secret: secret)
        }
        #expect(duplicate?.message.contains("id 1 appears more than once") == true)

        accounts = ProofFixtures.small
        accounts[0].id = LiabilityTree.reservedAccountID
        #expect(throws: ProofError.self) { try LiabilityTree(accounts: accounts, epoch: 1, secret: secret) }

        accounts = ProofFixtures.small
        accounts[1].equity = Money(raw: Int64.min)
        #expect(throws: ProofError.self) { try LiabilityTree(accounts: accounts, epoch: 1, secret: secret) }

        let pieces = #expect(throws: ProofError.self) {
            try LiabilityTree(
                accounts: ProofFixtures.small,
                epoch: 1,
                secret: secret,
                configuration: LiabilityTreeConfiguration(piecesPerAccount: 17)
            )
        }
        #expect(pieces?.message.contains("piecesPerAccount 17") == true)
        #expect(throws: ProofError.self) { try EpochSecret(hex: "abc") }
        let tree = try LiabilityTree(accounts: ProofFixtures.small, epoch: 1, secret: secret)
        #expect(throws: ProofError.self) { try tree.proof(forAccount: 2) }
    }

    @Test func anEmptyAccountSetCommitsToZeroLiabilities() throws {
        let tree = try LiabilityTree(accounts: [], epoch: 1, secret: ProofFixtures.secret())
        #expect(tree.commitment.sums == .zero)
        #expect(tree.commitment.leafCount == 2)
    }
}
