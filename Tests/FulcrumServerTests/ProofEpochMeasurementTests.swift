import Foundation
import FulcrumCore
import FulcrumStore
import FulcrumTestSupport
import Testing

@testable import FulcrumServer

/// Opt-in measurement (not a timed test: nothing is asserted about time): `FULCRUM_MEASURE_EPOCH=100000 swift test
/// --filter ProofEpochMeasurementTests` opens that many accounts through the service on a durable SQLite log, then
/// prints the epoch build + save time, the stored bytes, the load and rebuild times and the restart time.
@Suite("Proof epoch measurement")
struct ProofEpochMeasurementTests {
    static let accounts = Int(ProcessInfo.processInfo.environment["FULCRUM_MEASURE_EPOCH"] ?? "") ?? 0

    @Test(.enabled(if: accounts > 0, "set FULCRUM_MEASURE_EPOCH=<accounts> to measure"))
    func epochBuildSaveAndRebuild() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = "\(directory.path)/fulcrum.sqlite"
        let log = try SQLiteEventLog.open(path: path, fsync: .full)
        try await log.migrate()
        let service = try await EngineService.open(log: log, clock: { 1_700_000_000_000 })
        let op = Principal(keyID: "op", role: .operator, account: nil)
        let clock = ContinuousClock()
        let setUp = try await clock.measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<Self.accounts {
                    if index >= 256 { try await group.next() }
                    group.addTask {
                        let deposit = Money(raw: Int64(index % 10_000 + 1) * 100_000_000)
                        let reply = await service.submit(.createAccount(deposit: deposit), principal: op)
                        if case .failure(let error) = reply { throw error }
                    }
                }
                try await group.waitForAll()
            }
        }
        func fileBytes(_ path: String) -> Int {
            [path, path + "-wal"].reduce(0) { total, file in
                total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
            }
        }
        var built = ""
        let build = try await clock.measure { built = try await service.buildProofEpoch() }
        let record = try #require(try await log.proofEpoch(1))
        let load = try await clock.measure { _ = try await log.proofEpoch(1) }
        let blob = try EpochLiabilityBlob.encode(record.liabilities, epoch: 1).count
        // The save alone, into a second (empty) log, whose growth is the stored size.
        let scratchPath = "\(directory.path)/scratch.sqlite"
        let scratch = try SQLiteEventLog.open(path: scratchPath, fsync: .full)
        try await scratch.migrate()
        let empty = fileBytes(scratchPath)
        var copy = record
        copy.summary.eventSequence = 0
        let save = try await clock.measure { try await scratch.saveProofEpoch(copy) }
        let grown = fileBytes(scratchPath) - empty
        try await scratch.close()
        let rebuild = try clock.measure { _ = try ProofEpoch.rebuild(record) }
        await service.close()
        try await log.close()
        let reopened = try SQLiteEventLog.open(path: path, fsync: .full)
        var restarted: EngineService?
        let restart = try await clock.measure { restarted = try await EngineService.open(log: reopened, clock: { 0 }) }
        #expect(try await restarted?.proofRootJSON() == built)
        await restarted?.close()
        try await reopened.close()
        print(
            """
            epoch measurement (debug build): \(Self.accounts) accounts, set-up \(setUp)
              build + save (POST /v1/proofs/epochs): \(build)   \(built.prefix(120))…
              stored: liabilities blob \(blob) bytes, an empty database grew \(grown) bytes (sqlite + wal)
              save of the record alone: \(save); load (read + decode): \(load); rebuild + root check: \(rebuild)
              restart (replay \(Self.accounts) events + load + rebuild latest): \(restart)
            """
        )
        #expect(blob == 9 + 24 * Self.accounts)
    }
}
