import Foundation
import FulcrumTestSupport
import PropertyBased
import Testing

@testable import FulcrumStore

@Suite("SQLite event log")
struct SQLiteEventLogTests {
    /// A contract over fresh files in `directory`.
    static func contract(directory: TemporaryDirectory, fsync: FsyncPolicy) -> EventLogContract {
        let counter = Counter()
        return EventLogContract(
            fresh: {
                let log = try SQLiteEventLog.open(path: "\(directory.path)/log-\(counter.next()).sqlite", fsync: fsync)
                try await log.migrate()
                return log
            },
            reopen: { old in
                guard let old = old as? SQLiteEventLog else { throw PostgresHarnessError(message: "not a SQLite log") }
                return try SQLiteEventLog.open(path: old.path, fsync: fsync)
            },
            snapshotSequences: { log in
                guard let log = log as? SQLiteEventLog else { throw PostgresHarnessError(message: "not a SQLite log") }
                return try await log.snapshotSequences()
            },
            execute: { log, sql in
                guard let log = log as? SQLiteEventLog else { throw PostgresHarnessError(message: "not a SQLite log") }
                try await log.execute(sql: sql)
            }
        )
    }

    @Test(arguments: FsyncPolicy.allCases)
    func contractHolds(fsync: FsyncPolicy) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try await Self.contract(directory: directory, fsync: fsync).runAll()
    }

    @Test func inMemoryContractHolds() async throws {
        var contract = Self.contract(directory: try TemporaryDirectory(), fsync: .normal)
        contract.fresh = {
            let log = try SQLiteEventLog.inMemory()
            try await log.migrate()
            return log
        }
        try await contract.migrateTwiceIsANoOp()
        try await contract.appendAndReadBack()
        try await contract.gapsAndDuplicatesAreRejectedAtomically()
        try await contract.idempotencyKeys()
        try await contract.snapshots()
        try await contract.apiKeys()
        try await contract.proofEpochs()
        try await contract.corruptProofEpochsAreErrors()
    }

    @Test(arguments: [(FsyncPolicy.full, 2), (FsyncPolicy.normal, 1)])
    func walModeAndSynchronousFollowThePolicy(fsync: FsyncPolicy, synchronous: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try SQLiteEventLog.open(path: "\(directory.path)/p.sqlite", fsync: fsync)
        try await log.migrate()
        let pragmas = try await log.pragmas()
        #expect(pragmas.journalMode == "wal")
        #expect(pragmas.synchronous == synchronous)  // SQLite: 1 = NORMAL, 2 = FULL
        #expect(try await log.appliedMigrations() == ["v1", "v2", "v3"])
        try await log.migrate()
        #expect(try await log.appliedMigrations() == ["v1", "v2", "v3"])
        try await log.close()
    }

    @Test func unopenablePathNamesThePath() async throws {
        do {
            _ = try SQLiteEventLog.open(path: "/proc/definitely/not/here.sqlite")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .database)
            #expect(error.message.contains("/proc/definitely/not/here.sqlite"))
        }
    }

    @Test func randomBatchesReadBackInOrder() async throws {
        await propertyCheck(count: 20, input: Gen.int(in: 1...40).array(of: 1...12)) { sizes in
            do {
                let log = try SQLiteEventLog.inMemory()
                try await log.migrate()
                var expected: [LoggedEvent] = []
                var effectCount: Int64 = 0
                for size in sizes {
                    let first = Int64(expected.count) + 1
                    let batch = (0..<size).map { EventLogContract.event(first + Int64($0)) }
                    let effects = batch.map { event -> LoggedEffect in
                        effectCount += 1
                        return EventLogContract.effect(effectCount, event: event.sequence)
                    }
                    try await log.append(events: batch, effects: effects)
                    expected += batch
                }
                #expect(try await log.events(after: 0, limit: 10_000) == expected)
                #expect(try await log.lastEffectSequence() == effectCount)
                let middle = Int64(expected.count / 2)
                #expect(try await log.events(after: middle, limit: 10_000) == Array(expected.dropFirst(Int(middle))))
            } catch {
                Issue.record("sizes \(sizes): \(error)")
            }
        }
    }
}

/// A thread-safe counter for unique file names.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
