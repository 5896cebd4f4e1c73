import FulcrumTestSupport
import Testing

@testable import FulcrumStore

/// The same contract against a real PostgreSQL server the test starts itself (``PostgresHarness``).
@Suite("PostgreSQL event log", .serialized)
struct PostgresEventLogTests {
    static func contract(server: PostgresHarness, fsync: FsyncPolicy) -> EventLogContract {
        EventLogContract(
            fresh: {
                let url = try server.createDatabase()
                let log = try await PostgresEventLog.connect(url: try PostgresURL(url), fsync: fsync)
                try await log.migrate()
                return log
            },
            reopen: { old in
                guard let old = old as? PostgresEventLog else {
                    throw PostgresHarnessError(message: "not a Postgres log")
                }
                return try await PostgresEventLog.connect(url: old.url, fsync: fsync)
            },
            snapshotSequences: { log in
                guard let log = log as? PostgresEventLog else {
                    throw PostgresHarnessError(message: "not a Postgres log")
                }
                return try await log.snapshotSequences()
            },
            execute: { log, sql in
                guard let log = log as? PostgresEventLog else {
                    throw PostgresHarnessError(message: "not a Postgres log")
                }
                try await log.execute(sql: sql)
            }
        )
    }

    @Test func contractHoldsOnAStartedServer() async throws {
        try await PostgresHarness.withServer { server in
            for fsync in FsyncPolicy.allCases {
                try await Self.contract(server: server, fsync: fsync).runAll()
            }
            // Migrations: same version names as SQLite; twice is a no-op; synchronous_commit per policy.
            let url = try PostgresURL(try server.createDatabase())
            for (fsync, expected) in [(FsyncPolicy.full, "on"), (.normal, "off")] {
                let log = try await PostgresEventLog.connect(url: url, fsync: fsync)
                try await log.migrate()
                try await log.migrate()
                #expect(try await log.appliedMigrations() == ["v1", "v2", "v3"])
                #expect(try await log.synchronousCommit() == expected)
                try await log.close()
            }
            // The factory picks PostgreSQL for a postgres:// URL and migrates.
            let viaFactory = try await EventLogFactory.open(
                databaseURL: try server.createDatabase(),
                dataDirectory: "/nonexistent-unused",
                fsync: .full
            )
            #expect(viaFactory is PostgresEventLog)
            #expect(try await viaFactory.lastEventSequence() == 0)
            try await viaFactory.close()
        }
    }

    @Test func unreachableServerNamesTheURLWithoutThePassword() async throws {
        let port = try PostgresHarness.freePort()  // nothing listens there
        let url = try PostgresURL("postgres://me:s3cret@127.0.0.1:\(port)/db")
        do {
            _ = try await PostgresEventLog.connect(url: url, timeout: .seconds(3))
            Issue.record("expected a connection error")
        } catch {
            #expect(error.code == .database)
            #expect(error.message.contains("127.0.0.1:\(port)"), "\(error.message)")
            #expect(!error.message.contains("s3cret"), "\(error.message)")
        }
    }
}
