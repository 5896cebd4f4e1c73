import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumProofs
import FulcrumProofsCLI
import Testing

/// `fulcrum prove` and `fulcrum verify` in-process, on files in a temporary directory.
struct ProofCommandTests {
    static let secretHex = String(repeating: "ab", count: 32)

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fulcrum-proofs-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func writeState(_ json: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent("state.json")
        try Data(json.utf8).write(to: url)
        return url.path
    }

    static let state = """
        {"accounts": [
          {"id": 1, "equity": "123.45", "maintenanceMargin": "10"},
          {"id": 2, "equity": "-3", "maintenanceMargin": "1"},
          {"account": 5, "crossEquity": "7.5", "crossMaintenance": "8", "wallet": "9"}
        ]}
        """

    @Test func proveWritesRootSummaryAndProofsThatVerify() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let statePath = try Self.writeState(Self.state, in: dir)
        let out = dir.appendingPathComponent("out").path
        let prove = try ProveCommand.parse([
            "--state", statePath, "--epoch", "3", "--out", out, "--reserves", "130.45", "--secret", Self.secretHex,
        ])
        let text = try prove.render()
        #expect(text.contains("3 proofs"))
        #expect(text.contains("reserves 130.45 DO NOT cover total liabilities"))  // 130.95 > 130.45
        let root = try String(contentsOfFile: out + "/root.txt", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let summary = try JSONDecoder().decode(
            ProofPublicSummary.self,
            from: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))
        )
        #expect(summary.root == root)
        #expect(summary.epoch == 3)
        #expect(summary.totalLiabilities == "130.95")  // 123.45 + 0 + 7.5
        #expect(summary.totalMaintenanceMargin == "19")
        #expect(summary.totalDeficit == "3")
        #expect(summary.underMaintenanceCount == 2)  // account 2 (negative) and account 5 (7.5 < 8)
        #expect(summary.negativeEquityCount == 1)
        #expect(summary.reservesCoverLiabilities == false)  // 130.95 > 130.45
        #expect(!FileManager.default.fileExists(atPath: out + "/epoch-secret.hex"))

        for id in [1, 2, 5] {
            let verify = try VerifyCommand.parse(["--root", root, "--proof", out + "/proofs/account-\(id).proof"])
            let report = try verify.render()
            #expect(report.contains("valid: account \(id)"))
        }
        let opened = try ProofFiles.verify(root: root, proofFile: out + "/proofs/account-5.proof", reserves: nil)
        #expect(opened.equity == (try Money(parsing: "7.5")))
        #expect(opened.underMaintenance)

        // Reserves below liabilities: verify fails.
        let short = try VerifyCommand.parse([
            "--root", root, "--proof", out + "/proofs/account-1.proof", "--reserves", "130.94999999",
        ])
        #expect(throws: ProofError.self) { try short.render() }

        // Same state, same secret: same root (reissuable).
        let again = dir.appendingPathComponent("again").path
        _ = try ProveCommand.parse(["--state", statePath, "--epoch", "3", "--out", again, "--secret", Self.secretHex])
            .render()
        #expect(try String(contentsOfFile: again + "/root.txt", encoding: .utf8) == root + "\n")
    }

    @Test func verifyExitsNonZeroForATamperedFileOrAnotherRoot() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let statePath = try Self.writeState(Self.state, in: dir)
        let out = dir.appendingPathComponent("out").path
        _ = try ProveCommand.parse(["--state", statePath, "--epoch", "1", "--out", out]).render()
        #expect(FileManager.default.fileExists(atPath: out + "/epoch-secret.hex"))
        let root = try String(contentsOfFile: out + "/root.txt", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let proofPath = out + "/proofs/account-1.proof"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: proofPath)))
        bytes[200] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: proofPath))
        let tampered = try VerifyCommand.parse(["--root", root, "--proof", proofPath])
        #expect(Self.exitCode { try tampered.run() } == 1)
        let otherRoot = try VerifyCommand.parse([
            "--root", String(repeating: "0", count: 64), "--proof", out + "/proofs/account-2.proof",
        ])
        #expect(Self.exitCode { try otherRoot.run() } == 1)
        let missing = try VerifyCommand.parse(["--root", root, "--proof", out + "/nope.proof"])
        #expect(Self.exitCode { try missing.run() } == 2)
        let valid = try VerifyCommand.parse(["--root", root, "--proof", out + "/proofs/account-2.proof"])
        #expect(Self.exitCode { try valid.run() } == 0)
    }

    static func exitCode(_ body: () throws -> Void) -> Int32? {
        do {
            try body()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            return nil
        }
    }

    @Test(arguments: [
        (
            #"{"accounts": [{"id": 1, "equity": 12.5, "maintenanceMargin": "1"}]}"#,
            "accounts[0].equity 12.5 must be a decimal string"
        ),
        (
            #"{"accounts": [{"id": 1, "equity": "1", "maintenanceMargin": "1"}, {"id": 2, "equity": "1x"}]}"#,
            "accounts[1].equity \"1x\" is not a decimal number"
        ),
        (#"{"accounts": [{"id": 1, "equity": "1"}]}"#, "accounts[0].maintenanceMargin is missing"),
        (
            #"{"accounts": [{"id": -4, "equity": "1", "maintenanceMargin": "0"}]}"#,
            "accounts[0].id must be a non-negative integer"
        ),
        (#"{"accounts": [{"equity": "1", "maintenanceMargin": "0"}]}"#, "accounts[0].id is missing"),
        (
            #"{"accounts": [{"id": 1, "equity": "0.123456789", "maintenanceMargin": "0"}]}"#,
            "accounts[0].equity \"0.123456789\" has more than 8 decimals"
        ),
        (
            #"{"accounts": [{"id": 1, "equity": "1", "maintenanceMargin": "-2"}]}"#,
            "accounts[0].maintenanceMargin -2 is negative"
        ),
        (
            #"{"accounts": [{"id": 4, "equity": "1", "maintenanceMargin": "0"}, {"id": 4, "equity": "2", "maintenanceMargin": "0"}]}"#,
            "id 4 appears more than once"
        ),
        (#"{"acounts": []}"#, "accounts is missing"),
        (#"{"accounts": [}"#, "state is not valid JSON"),
    ])
    func badStateIsRejectedNamingTheFieldAndValue(json: String, message: String) throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let statePath = try Self.writeState(json, in: dir)
        let out = dir.appendingPathComponent("out").path
        let prove = try ProveCommand.parse([
            "--state", statePath, "--epoch", "1", "--out", out, "--secret", Self.secretHex,
        ])
        let error = #expect(throws: ProofError.self) { try prove.render() }
        #expect(error?.message.contains(message) == true, "got: \(error?.message ?? "no error")")
        #expect(!FileManager.default.fileExists(atPath: out + "/root.txt"))
        #expect(Self.exitCode { try prove.run() } == 2)
    }
}
