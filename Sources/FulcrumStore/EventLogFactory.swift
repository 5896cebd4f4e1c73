import Foundation

/// Opens the ``EventLog`` that `fulcrum serve --database …` asks for.
public enum EventLogFactory {
    /// The SQLite file name inside the data directory.
    public static let sqliteFileName = "fulcrum.sqlite"

    /// Opens and migrates the log.
    ///
    /// - Parameters:
    ///   - databaseURL: `nil` for the embedded SQLite log at `<dataDirectory>/fulcrum.sqlite` (the directory is
    ///     created); `postgres://user[:password]@host[:port]/database` (or `postgresql://`) for PostgreSQL.
    ///   - dataDirectory: where the SQLite file lives.
    ///   - fsync: how hard a commit is pushed to stable storage.
    /// - Throws: ``StoreError`` `invalidArgument` naming `--database` and the value for any other scheme, URL
    ///   errors from ``PostgresURL``, and open/connect/migrate failures.
    public static func open(
        databaseURL: String?,
        dataDirectory: String,
        fsync: FsyncPolicy
    ) async throws -> any EventLog {
        let log: any EventLog
        if let databaseURL {
            guard databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://") else {
                throw StoreError(
                    .invalidArgument,
                    "--database \"\(PostgresURL.redacted(databaseURL))\" is not a postgres:// or postgresql:// URL"
                        + " (omit --database for the embedded SQLite log)"
                )
            }
            log = try await PostgresEventLog.connect(url: try PostgresURL(databaseURL), fsync: fsync)
        } else {
            do {
                try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(
                    .invalidArgument,
                    "data directory \(dataDirectory) cannot be created: \(error.localizedDescription)"
                )
            }
            let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent(sqliteFileName).path
            log = try SQLiteEventLog.open(path: path, fsync: fsync)
        }
        do {
            try await log.migrate()
        } catch {
            try? await log.close()
            throw error
        }
        return log
    }
}
