import Foundation
public import FulcrumCore
public import FulcrumProofs

/// File-level work behind `fulcrum prove` and `fulcrum verify`, callable in-process (the commands are thin).
public enum ProofFiles {
    /// What `prove` wrote.
    public struct ProveOutcome: Sendable {
        /// The published commitment.
        public var commitment: RootCommitment
        /// The public summary written to `summary.json`.
        public var summary: ProofPublicSummary
        /// Number of proof files written.
        public var proofCount: Int
        /// Where the secret was written when it was generated (nil when the caller gave one).
        public var generatedSecretPath: String?
    }

    /// The file name of an account's proof inside `DIR/proofs/`.
    public static func proofFileName(account id: UInt64) -> String { "account-\(id).proof" }

    /// Reads `state`, builds the tree and writes `root.txt`, `summary.json` and `proofs/account-ID.proof`.
    ///
    /// - Parameters:
    ///   - secret: the epoch secret; when nil a random one is drawn from `generator` and written to
    ///     `DIR/epoch-secret.hex` (private: keep it to reissue proofs; never publish it).
    /// - Throws: ``ProofError`` for bad input, or a file-system error.
    public static func prove(
        state: String,
        epoch: UInt64,
        outputDirectory: String,
        reserves: Money?,
        secret: EpochSecret?,
        configuration: LiabilityTreeConfiguration = LiabilityTreeConfiguration(),
        generator: inout some RandomNumberGenerator
    ) throws -> ProveOutcome {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: state))
        } catch {
            throw ProofError(.invalidInput, "state file \"\(state)\" cannot be read")
        }
        let accounts = try ProofStateFile.accounts(from: data)
        if let reserves, reserves.isNegative {
            throw ProofError(.invalidInput, "reserves \(reserves) is negative")
        }
        let epochSecret = secret ?? EpochSecret.random(using: &generator)
        let tree = try LiabilityTree(
            accounts: accounts,
            epoch: epoch,
            secret: epochSecret,
            configuration: configuration
        )
        let manager = FileManager.default
        let directory = URL(fileURLWithPath: outputDirectory)
        let proofs = directory.appendingPathComponent("proofs")
        try manager.createDirectory(at: proofs, withIntermediateDirectories: true)
        var secretPath: String?
        if secret == nil {
            let url = directory.appendingPathComponent("epoch-secret.hex")
            try Data((epochSecret.hex + "\n").utf8).write(to: url)
            try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            secretPath = url.path
        }
        for index in tree.accounts.indices {
            let proof = tree.proof(atIndex: index)
            let url = proofs.appendingPathComponent(proofFileName(account: proof.accountID))
            try Data(proof.encoded).write(to: url)
        }
        try Data((tree.rootHash.description + "\n").utf8).write(to: directory.appendingPathComponent("root.txt"))
        let summary = ProofPublicSummary(tree.commitment, reserves: reserves)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var json = try encoder.encode(summary)
        json.append(0x0a)  // end the file with a newline
        try json.write(to: directory.appendingPathComponent("summary.json"))
        return ProveOutcome(
            commitment: tree.commitment,
            summary: summary,
            proofCount: tree.accounts.count,
            generatedSecretPath: secretPath
        )
    }

    /// Reads a proof file and verifies it against a published root.
    ///
    /// - Parameter reserves: when given, also requires `total liabilities ≤ reserves`.
    /// - Throws: ``ProofError`` naming the failed check (or the unreadable file).
    public static func verify(
        root: String,
        proofFile: String,
        reserves: Money?
    ) throws(ProofError)
        -> InclusionProof.Opened
    {
        let published = try Digest32(hex: root.trimmingCharacters(in: .whitespacesAndNewlines))
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: proofFile))
        } catch {
            throw ProofError(.invalidInput, "proof file \"\(proofFile)\" cannot be read")
        }
        let proof = try InclusionProof(decoding: Array(data))
        let opened = try proof.verify(publishedRoot: published)
        if let reserves, !opened.root.isCovered(by: MoneySum(reserves)) {
            throw ProofError(
                .verificationFailed,
                "total liabilities \(opened.root.totalLiabilities) exceed the stated reserves \(reserves)"
            )
        }
        return opened
    }

    /// The lines `verify` prints for a valid proof.
    public static func report(_ opened: InclusionProof.Opened) -> String {
        let sums = opened.root.sums
        return """
            valid: account \(opened.accountID) is included in epoch \(opened.root.epoch) root \(opened.root.rootHash)
            account equity \(opened.equity), maintenance margin \(opened.maintenanceMargin), \
            under maintenance \(opened.underMaintenance), negative equity \(opened.negativeEquity)
            root totals: liabilities \(sums.equity), maintenance \(sums.maintenance), deficit \(sums.deficit), \
            under-maintenance accounts \(sums.underMaintenance), negative-equity accounts \(sums.negativeEquity), \
            leaves \(opened.root.leafCount)
            """
    }
}
