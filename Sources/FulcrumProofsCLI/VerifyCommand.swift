public import ArgumentParser
import Foundation
import FulcrumCore
public import FulcrumProofs

/// `fulcrum verify`: check one account's inclusion proof against a published root (exit 0 only when valid).
public struct VerifyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an inclusion proof against a published root; exit 0 only for a valid proof.",
        discussion: """
            Exit codes: 0 valid; 1 the proof does not verify (reason on stderr); 2 unreadable or malformed input.
            """
    )

    /// The published root hash.
    @Option(help: "The published root hash (64 lowercase hex characters).")
    public var root: String

    /// The proof file.
    @Option(help: "The account's proof file.")
    public var proof: String

    /// Stated reserves to compare with the committed liabilities.
    @Option(help: "Also require total liabilities ≤ this stated reserves amount.")
    public var reserves: String?

    public init() {}

    /// Verifies and returns the text printed for a valid proof.
    ///
    /// - Throws: ``ProofError`` naming the failed check.
    public func render() throws(ProofError) -> String {
        let reservesMoney: Money?
        do {
            reservesMoney = try reserves.map { text throws(ArithmeticError) in
                try Money(parsing: text, field: "reserves")
            }
        } catch {
            throw ProofError(.invalidInput, error.message)
        }
        return ProofFiles.report(try ProofFiles.verify(root: root, proofFile: proof, reserves: reservesMoney))
    }

    public func run() throws {
        do {
            print(try render())
        } catch {
            FileHandle.standardError.write(Data("fulcrum verify: INVALID: \(error.description)\n".utf8))
            throw ExitCode(error.kind == .verificationFailed ? 1 : 2)
        }
    }
}
