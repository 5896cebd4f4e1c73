import FulcrumCore
import FulcrumStore
import FulcrumTestSupport
import Testing

@Suite("Proof epochs at scale")
struct ProofEpochScaleTests {
    /// Issue 6/8: a 1,000,000-account epoch (a ~24 MB liabilities blob) is stored and read back exactly.
    @Test func aMillionAccountEpochFits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let log = try SQLiteEventLog.open(path: "\(directory.path)/scale.sqlite", fsync: .normal)
        try await log.migrate()
        try await log.append(events: [EventLogContract.event(1)], effects: [])
        let count = 1_000_000
        var record = EventLogContract.epochRecord(1, eventSequence: 1, accounts: 0)
        record.summary.leafCount = 1 << 21
        record.liabilities = (0..<count).map { index in
            EpochLiability(
                account: UInt64(index),
                equity: Money(raw: Int64(index) * 7_919 - 1_000_000_000),
                maintenanceMargin: Money(raw: Int64(index % 1_000) * 1_000)
            )
        }
        #expect(try EpochLiabilityBlob.encode(record.liabilities, epoch: 1).count == 24_000_009)
        try await log.saveProofEpoch(record)
        let loaded = try #require(try await log.proofEpoch(1))
        #expect(loaded.liabilities.count == count)
        #expect(loaded == record)
        try await log.close()
    }
}
