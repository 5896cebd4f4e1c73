public import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumProofs

/// `fulcrum prove`: commit to an epoch's liabilities and write the root, one proof per account and a summary.
public struct ProveCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Build a Merkle-sum proof of liabilities: root, one proof per account, public summary.",
        discussion: """
            STATE.json: {"accounts": [{"id": 1, "equity": "123.45", "maintenanceMargin": "10"}, ...]} with money \
            as decimal strings. Writes DIR/root.txt, DIR/summary.json and DIR/proofs/account-ID.proof. Without \
            --secret a random epoch secret is written to DIR/epoch-secret.hex (keep it private). See docs/PROOFS.md.
            """
    )

    /// The state file.
    @Option(help: "State JSON with per-account equity and maintenance margin.")
    public var state: String

    /// The epoch number.
    @Option(help: "Epoch number (bound into salts and the root).")
    public var epoch: UInt64

    /// The output directory.
    @Option(help: "Output directory.")
    public var out: String

    /// Stated reserves.
    @Option(help: "Stated reserves, a decimal amount; the summary says whether they cover total liabilities.")
    public var reserves: String?

    /// The epoch secret.
    @Option(help: "Epoch secret, 64 hex characters (default: random, written to DIR/epoch-secret.hex).")
    public var secret: String?

    /// Pieces per account.
    @Option(help: "Leaves per account (1...16, default 2): more pieces hide sibling sums better.")
    public var pieces = 2

    public init() {}

    /// Runs the command and returns the text it prints.
    public func render() throws -> String {
        let reservesMoney: Money?
        do {
            reservesMoney = try reserves.map { text throws(ArithmeticError) in
                try Money(parsing: text, field: "reserves")
            }
        } catch {
            throw ProofError(.invalidInput, error.message)
        }
        let epochSecret = try secret.map { text throws(ProofError) in try EpochSecret(hex: text) }
        var generator = SystemRandomNumberGenerator()
        let outcome = try ProofFiles.prove(
            state: state,
            epoch: epoch,
            outputDirectory: out,
            reserves: reservesMoney,
            secret: epochSecret,
            configuration: LiabilityTreeConfiguration(piecesPerAccount: pieces),
            generator: &generator
        )
        var lines = [
            "root \(outcome.commitment.rootHash)",
            "epoch \(outcome.commitment.epoch), \(outcome.proofCount) proofs, \(outcome.commitment.leafCount) leaves",
            "total liabilities \(outcome.summary.totalLiabilities), maintenance \(outcome.summary.totalMaintenanceMargin), "
                + "under maintenance \(outcome.summary.underMaintenanceCount), "
                + "negative equity \(outcome.summary.negativeEquityCount)",
        ]
        if let covered = outcome.summary.reservesCoverLiabilities, let stated = outcome.summary.reserves {
            lines.append("reserves \(stated) \(covered ? "cover" : "DO NOT cover") total liabilities")
        }
        if let path = outcome.generatedSecretPath {
            lines.append("epoch secret written to \(path) (private: needed to reissue proofs)")
        }
        return lines.joined(separator: "\n")
    }

    public func run() throws {
        do {
            print(try render())
        } catch let error as ProofError {
            FileHandle.standardError.write(Data("fulcrum prove: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
