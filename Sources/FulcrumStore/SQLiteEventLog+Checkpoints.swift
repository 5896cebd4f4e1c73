import GRDB
import Synchronization

/// WAL checkpoints under the caller's control (issue 6): SQLite's automatic checkpoint runs inside the commit
/// that crosses `wal_autocheckpoint` pages and stalls that commit — and every request waiting on it — for the copy
/// and its fsyncs (5–25 ms on the load-test machine). The server turns it off and checkpoints in two phases: on a
/// second connection while appends go on, then on the writer for the frames appended meanwhile (a few pages), so
/// the WAL restarts from its start (its bound).
extension SQLiteEventLog {
    /// Largest WAL file kept after a checkpoint resets it (`journal_size_limit`, bytes): a burst that grew it is
    /// truncated back to this at the next reset.
    public static let retainedWALBytes = 64 << 20

    /// Turns SQLite's automatic checkpoint off on the writer (`wal_autocheckpoint = 0`), bounds the WAL file
    /// kept after a reset (``retainedWALBytes``) and opens the second connection for concurrent checkpoints (a log
    /// that keeps SQLite's own checkpoints never opens it). From now on only ``checkpoint()`` and closing the log
    /// copy the WAL into the database.
    public func takeOverCheckpoints() async throws {
        try await run("turn automatic checkpoints off") { [writer, path, fsync] in
            if path != ":memory:", self.checkpointer.withLock({ $0 }) == nil {
                // Its checkpoints fsync per the same policy (`synchronous` from `prepareDatabase`).
                let connection = try DatabaseQueue(path: path, configuration: Self.configuration(fsync))
                self.checkpointer.withLock { $0 = connection }
            }
            try await writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                _ = try Int.fetchOne(db, sql: "PRAGMA journal_size_limit = \(Self.retainedWALBytes)")
            }
        }
    }

    /// Copies the WAL into the database (`PRAGMA wal_checkpoint(PASSIVE)`: readers are not blocked, frames a
    /// reader still needs stay for the next one). `concurrently`: on the second connection, appends go on
    /// meanwhile; otherwise on the writer, appends wait and the next one restarts the WAL from its start.
    ///
    /// On the writer under ``FsyncPolicy/normal`` it runs inline on the caller's executor, like ``append(events:effects:)``
    /// (the server's writer phase copies a few pages: shorter than the hops to GRDB's queue and back); the
    /// concurrent one always runs on the second connection's queue, so the caller's executor is free meanwhile.
    public nonisolated(nonsending) func checkpoint(concurrently: Bool) async throws {
        if concurrently, let checkpointer = checkpointer.withLock({ $0 }) {
            try await run("checkpoint") {
                try await checkpointer.writeWithoutTransaction(Self.passiveCheckpoint)
            }
        } else if fsync == .normal {
            // Not through `run` (a plain async function: calling it would leave the caller's executor).
            do { try Self.checkpointNow(writer) } catch {
                throw StoreError(.database, "SQLite checkpoint at \(path): \(error)")
            }
        } else {
            try await run("checkpoint") { [writer] in
                try await writer.writeWithoutTransaction(Self.passiveCheckpoint)
            }
        }
    }

    /// A checkpoint on `writer`, on the calling thread (a synchronous GRDB write).
    private static func checkpointNow(_ writer: any DatabaseWriter) throws {
        try writer.writeWithoutTransaction(passiveCheckpoint)
    }

    /// The checkpoint itself, on whichever connection `db` is.
    private static func passiveCheckpoint(_ db: Database) throws {
        _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
    }

    /// Whether the second connection for concurrent checkpoints is open (tests).
    var hasCheckpointConnection: Bool { checkpointer.withLock { $0 != nil } }

    /// The integer columns of the first row `sql` returns on the writer connection (tests read pragmas with it).
    func writerIntegers(_ sql: String) async throws -> [Int] {
        try await run("read \(sql)") { [writer] in
            try await writer.writeWithoutTransaction { db in
                guard let row = try Row.fetchOne(db, sql: sql) else { return [] }
                return (0..<row.count).map { (row[$0] as Int?) ?? 0 }
            }
        }
    }
}
