import Foundation
import FulcrumTestSupport
import Testing

@testable import FulcrumStore

/// Checkpoints under the server's control (issue 6): with ``SQLiteEventLog/takeOverCheckpoints()`` no append copies
/// the WAL into the database; ``SQLiteEventLog/checkpoint()`` does, and nothing is lost either way.
@Suite("SQLite checkpoints")
struct SQLiteCheckpointTests {
    /// `count` events of about 4 KB each from `first`, appended in batches of 50.
    static func appendLarge(_ log: SQLiteEventLog, from first: Int64, count: Int64) async throws {
        let filler = String(repeating: "x", count: 4_000)
        var next = first
        while next < first + count {
            let events = (next..<min(next + 50, first + count)).map { sequence in
                LoggedEvent(
                    sequence: sequence,
                    line: "{\"sequence\":\(sequence),\"filler\":\"\(filler)\"}",
                    idempotencyKey: nil,
                    response: "",
                    acceptedAtMilliseconds: sequence
                )
            }
            try await log.append(events: events, effects: [])
            next += Int64(events.count)
        }
    }

    static func walBytes(_ log: SQLiteEventLog) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: log.path + "-wal")
        return (attributes?[.size] as? Int) ?? 0
    }

    static func pragma(_ log: SQLiteEventLog, _ sql: String) async throws -> [Int] {
        try await log.writerIntegers(sql)
    }

    @Test func automaticCheckpointsBoundTheWALByDefault() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try SQLiteEventLog.open(path: "\(directory.path)/log.sqlite", fsync: .normal)
        try await log.migrate()
        try await Self.appendLarge(log, from: 1, count: 3_000)
        // SQLite's default: checkpoint after 1,000 pages (4 MB), the WAL restarts from its start.
        #expect(try await Self.pragma(log, "PRAGMA wal_autocheckpoint") == [1_000])
        #expect(Self.walBytes(log) < 8 << 20)
        try await log.close()
    }

    /// The second connection exists only for checkpoints taken over by the caller: a log that keeps SQLite's own
    /// checkpoints (the server's default, `--checkpoint-every 0`) holds one connection for writes.
    @Test func secondConnectionOpensOnlyWhenCheckpointsAreTakenOver() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try SQLiteEventLog.open(path: "\(directory.path)/log.sqlite", fsync: .normal)
        try await log.migrate()
        try await Self.appendLarge(log, from: 1, count: 10)
        try await log.checkpoint(concurrently: true)  // falls back to the writer
        #expect(!log.hasCheckpointConnection)
        try await log.takeOverCheckpoints()
        #expect(log.hasCheckpointConnection)
        try await log.checkpoint(concurrently: true)
        #expect(try await log.lastEventSequence() == 10)
        try await log.close()
    }

    @Test(arguments: FsyncPolicy.allCases)
    func takenOverCheckpointsRunOnlyWhenAsked(fsync: FsyncPolicy) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = "\(directory.path)/log.sqlite"
        let log = try SQLiteEventLog.open(path: path, fsync: fsync)
        try await log.migrate()
        try await log.takeOverCheckpoints()
        #expect(try await Self.pragma(log, "PRAGMA wal_autocheckpoint") == [0])
        #expect(try await Self.pragma(log, "PRAGMA journal_size_limit") == [SQLiteEventLog.retainedWALBytes])
        try await Self.appendLarge(log, from: 1, count: 3_000)
        // About 12 MB of events and no checkpoint: the WAL holds them all.
        let grown = Self.walBytes(log)
        #expect(grown > 10 << 20)
        try await log.checkpoint(concurrently: false)
        // Everything was copied: a second checkpoint finds no frame left (busy 0, log frames == checkpointed).
        let again = try await Self.pragma(log, "PRAGMA wal_checkpoint(PASSIVE)")
        #expect(again.count == 3 && again[0] == 0 && again[1] == again[2])
        // The next append restarts the WAL from its start instead of growing it.
        try await Self.appendLarge(log, from: 3_001, count: 50)
        #expect(Self.walBytes(log) <= grown)
        #expect(try await log.lastEventSequence() == 3_050)
        try await log.close()
        let reopened = try SQLiteEventLog.open(path: path, fsync: fsync)
        let events = try await reopened.events(after: 0, limit: 10_000)
        #expect(events.map(\.sequence) == Array(1...3_050))
        try await reopened.close()
    }
}

/// The WAL's writeback after commits under `--fsync normal` (issue 6): started every
/// ``WALWriteback/commitsPerWriteback`` commits on the real WAL file, never under `full` or in memory.
@Suite("SQLite WAL writeback")
struct WALWritebackTests {
    @Test func startsEveryFewCommitsOnTheWALFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try SQLiteEventLog.open(path: "\(directory.path)/log.sqlite", fsync: .normal)
        try await log.migrate()
        let writeback = try #require(log.walWriteback)
        #expect(writeback.path == log.path + "-wal")
        try await SQLiteCheckpointTests.appendLarge(log, from: 1, count: 10)
        #expect(FileManager.default.fileExists(atPath: writeback.path))
        // The log's own append counted one commit; the next ones up to the period start nothing.
        var started: [Bool] = []
        for _ in 0..<(2 * WALWriteback.commitsPerWriteback) { started.append(writeback.committed()) }
        let period = WALWriteback.commitsPerWriteback
        #expect(started.filter { $0 }.count == 2)
        #expect(started[period - 2] && started[2 * period - 2])
        try await log.close()
        // A closed writeback starts nothing.
        #expect(!(0..<period).map { _ in writeback.committed() }.contains(true))
    }

    @Test func aMissingWALStartsNothing() {
        let writeback = WALWriteback(databasePath: "/nonexistent-fulcrum/log.sqlite")
        #expect(!(0..<(3 * WALWriteback.commitsPerWriteback)).map { _ in writeback.committed() }.contains(true))
    }

    @Test func onlyUnderNormalOnDisk() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let full = try SQLiteEventLog.open(path: "\(directory.path)/full.sqlite", fsync: .full)
        #expect(full.walWriteback == nil)
        try await full.close()
        let memory = try SQLiteEventLog.inMemory()
        #expect(memory.walWriteback == nil)
        try await memory.close()
    }
}
