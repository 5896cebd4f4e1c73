import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Starts the kernel's writeback of a SQLite write-ahead log every few commits, without waiting for it.
///
/// Under ``FsyncPolicy/normal`` a commit only writes WAL frames into the page cache; SQLite fsyncs the WAL at the
/// next checkpoint, inside the commit that carries it, and that fsync then has to write everything committed since
/// the last one (up to `wal_autocheckpoint` pages, 4 MB) while every request waits on the commit. Starting the
/// writeback every ``commitsPerWriteback`` commits (`sync_file_range(SYNC_FILE_RANGE_WRITE)`: queue the dirty pages
/// for the disk and return) spreads that I/O over the commits, so the checkpoint's fsync finds little left to write.
///
/// Nothing about durability changes: a commit is still acknowledged before its frames reach the disk, exactly as
/// before (it survives a crash of the process, not of the machine). Linux only; elsewhere, or where the C library
/// has no `sync_file_range`, it does nothing.
final class WALWriteback: Sendable {
    /// The WAL file's path (`<database>-wal`).
    let path: String
    /// Descriptor of the WAL file, opened read-only on first use (-1: not open yet; -2: closed), and the commits
    /// since the last writeback was started.
    private let state = Mutex<(descriptor: Int32, commits: Int)>((-1, 0))
    /// Commits between two writebacks: each start costs a system call and an I/O submission to the disk (about
    /// 40 µs on the load-test VM), so it runs once per this many commits, over all of their frames.
    static let commitsPerWriteback = 8

    /// `sync_file_range` of the C library, looked up at run time (the Glibc module does not export it).
    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    private static let syncFileRange: SyncFileRange? = {
        #if canImport(Glibc)
            guard let symbol = dlsym(nil, "sync_file_range") else { return nil }
            return unsafeBitCast(symbol, to: SyncFileRange.self)
        #else
            return nil
        #endif
    }()
    /// `SYNC_FILE_RANGE_WRITE` (`<fcntl.h>`): start writing the range's dirty pages, do not wait.
    private static let startWrite: UInt32 = 2

    /// A writeback for the WAL of the database at `databasePath`.
    init(databasePath: String) {
        self.path = databasePath + "-wal"
    }

    deinit { close() }

    /// Counts a commit and, every ``commitsPerWriteback`` commits, queues the WAL's dirty pages for the disk and
    /// returns; a failure is ignored (the checkpoint's fsync still writes whatever is left, as it would without this).
    ///
    /// - Returns: whether a writeback was started (tests).
    /// - Complexity: O(dirty pages) to submit them; it never waits for the disk.
    @discardableResult
    func committed() -> Bool {
        guard let syncFileRange = Self.syncFileRange else { return false }
        return state.withLock { state in
            state.commits += 1
            guard state.commits >= Self.commitsPerWriteback else { return false }
            state.commits = 0
            #if canImport(Glibc)
                if state.descriptor == -1 {
                    // The WAL exists once the first commit wrote to it; try again later if it does not yet.
                    let opened = open(path, O_RDONLY | O_CLOEXEC)
                    guard opened >= 0 else { return false }
                    state.descriptor = opened
                }
                guard state.descriptor >= 0 else { return false }
                // offset 0, nbytes 0: the whole file.
                return syncFileRange(state.descriptor, 0, 0, Self.startWrite) == 0
            #else
                return false
            #endif
        }
    }

    /// Closes the descriptor (the log is closing).
    func close() {
        state.withLock { state in
            #if canImport(Glibc)
                if state.descriptor >= 0 { _ = Glibc.close(state.descriptor) }
            #endif
            state.descriptor = -2
        }
    }
}
