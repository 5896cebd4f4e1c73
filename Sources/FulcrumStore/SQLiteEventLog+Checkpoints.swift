import GRDB

/// WAL checkpoints under the caller's control (issue 6): SQLite's automatic checkpoint runs inside the commit
/// that crosses `wal_autocheckpoint` pages and stalls that commit — and every request waiting on it — for the copy
/// and its fsyncs (10–50 ms on the load-test machine). The server turns it off, checkpoints often on a second
/// connection while appends go on, and rarely on the writer so the WAL restarts from its start (its bound).
extension SQLiteEventLog {
    /// Largest WAL file kept after a checkpoint resets it (`journal_size_limit`, bytes): a burst that grew it is
    /// truncated back to this at the next reset.
    public static let retainedWALBytes = 64 << 20

    /// Turns SQLite's automatic checkpoint off on the writer (`wal_autocheckpoint = 0`) and bounds the WAL file
    /// kept after a reset (``retainedWALBytes``). From now on only ``checkpoint()`` and closing the log copy the
    /// WAL into the database.
    public func takeOverCheckpoints() async throws {
        try await run("turn automatic checkpoints off") { [writer] in
            try await writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                _ = try Int.fetchOne(db, sql: "PRAGMA journal_size_limit = \(Self.retainedWALBytes)")
            }
        }
    }

    /// Copies the WAL into the database (`PRAGMA wal_checkpoint(PASSIVE)`: readers are not blocked, frames a
    /// reader still needs stay for the next one). `concurrently`: on the second connection, appends go on
    /// meanwhile; otherwise on the writer, appends wait and the next one restarts the WAL from its start.
    public func checkpoint(concurrently: Bool) async throws {
        try await run("checkpoint") { [writer, checkpointer] in
            if concurrently, let checkpointer {
                try await checkpointer.writeWithoutTransaction { db in
                    _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
                }
            } else {
                try await writer.writeWithoutTransaction { db in
                    _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
                }
            }
        }
    }

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
