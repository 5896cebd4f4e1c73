import Foundation
import FulcrumStore
import FulcrumTestSupport
import Testing

@Suite("Event log factory")
struct EventLogFactoryTests {
    @Test func noURLOpensSQLiteInTheDataDirectory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let nested = "\(directory.path)/a/b"
        let log = try await EventLogFactory.open(databaseURL: nil, dataDirectory: nested, fsync: .full)
        #expect(log is SQLiteEventLog)
        try await log.append(events: [EventLogContract.event(1)], effects: [])
        try await log.close()
        #expect(FileManager.default.fileExists(atPath: "\(nested)/fulcrum.sqlite"))
        let again = try await EventLogFactory.open(databaseURL: nil, dataDirectory: nested, fsync: .normal)
        #expect(try await again.lastEventSequence() == 1)
        try await again.close()
    }

    @Test(arguments: ["mysql://u@h/db", "sqlite:///tmp/x.sqlite", "", "fulcrum.sqlite"])
    func otherSchemesNameTheOption(value: String) async {
        await EventLogContract.expectStoreError(.invalidArgument, "--database \"\(value)\"") {
            _ = try await EventLogFactory.open(databaseURL: value, dataDirectory: "/tmp", fsync: .full)
        }
    }

    @Test func badPostgresURLIsReportedBeforeConnecting() async {
        await EventLogContract.expectStoreError(.invalidArgument, "port \"x\"") {
            _ = try await EventLogFactory.open(databaseURL: "postgres://u@h:x/db", dataDirectory: "/tmp", fsync: .full)
        }
    }
}
