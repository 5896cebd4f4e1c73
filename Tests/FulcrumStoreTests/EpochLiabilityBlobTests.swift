import FulcrumCore
import FulcrumStore
import PropertyBased
import Testing

@Suite("Proof epoch liabilities blob")
struct EpochLiabilityBlobTests {
    /// Accounts derived from arbitrary 64-bit values: increasing ids with random gaps, any equity, maintenance ≥ 0.
    static func liabilities(_ values: [Int64]) -> [EpochLiability] {
        var id: UInt64 = 0
        return values.map { value in
            id += UInt64(truncatingIfNeeded: value) % 1_000 + 1
            return EpochLiability(
                account: id,
                equity: Money(raw: value),
                maintenanceMargin: Money(raw: value & Int64.max)
            )
        }
    }

    @Test func roundTripsAnyValidList() async {
        await propertyCheck(count: 200, input: Gen.int64(in: Int64.min...Int64.max).array(of: 0...60)) { values in
            let accounts = Self.liabilities(values)
            do {
                let bytes = try EpochLiabilityBlob.encode(accounts, epoch: 7)
                #expect(bytes.count == 9 + 24 * accounts.count)
                #expect(bytes[0] == 1)
                #expect(try EpochLiabilityBlob.decode(bytes, epoch: 7) == accounts)
            } catch {
                Issue.record("\(values): \(error)")
            }
        }
    }

    @Test func layoutIsLittleEndian() throws {
        let bytes = try EpochLiabilityBlob.encode(
            [EpochLiability(account: 0x0102, equity: Money(raw: -1), maintenanceMargin: Money(raw: 5))],
            epoch: 1
        )
        #expect(Array(bytes[0..<9]) == [1, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[9..<17]) == [2, 1, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[17..<25]) == Array(repeating: 0xff, count: 8))
        #expect(Array(bytes[25..<33]) == [5, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func encodeRejectsUnsortedIdsAndNegativeMaintenance() {
        let one = Money(raw: 1)
        let unsorted = [
            EpochLiability(account: 5, equity: one, maintenanceMargin: one),
            EpochLiability(account: 5, equity: one, maintenanceMargin: one),
        ]
        #expect(
            throws: StoreError(
                .invalidArgument,
                "proof epoch 3: liabilities[1].account 5 does not increase (previous 5)"
            )
        ) {
            try EpochLiabilityBlob.encode(unsorted, epoch: 3)
        }
        let negative = [EpochLiability(account: 1, equity: one, maintenanceMargin: Money(raw: -1))]
        do {
            _ = try EpochLiabilityBlob.encode(negative, epoch: 3)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("liabilities[0].maintenanceMargin"), "\(error)")
        }
    }

    /// Every corruption is a `corruptRecord` naming the epoch, never a trap.
    @Test(arguments: [
        ("short", "shorter than its 9-byte header"),
        ("version", "format version 2"),
        ("huge count", "declares 18446744073709551615 accounts"),
        ("truncated", "declares 2 accounts but holds 56 bytes"),
        ("trailing", "declares 2 accounts but holds 58 bytes"),
        ("order", "account[1] id 3 does not increase (previous 3)"),
        ("maintenance", "account[1] (id 4) has negative maintenance -7"),
    ])
    func corruptBlobsNameTheEpoch(corruption: String, expected: String) throws {
        let good = try EpochLiabilityBlob.encode(
            [
                EpochLiability(account: 3, equity: Money(raw: 10), maintenanceMargin: Money(raw: 1)),
                EpochLiability(account: 4, equity: Money(raw: -10), maintenanceMargin: Money(raw: 7)),
            ],
            epoch: 42
        )
        var bytes = good
        switch corruption {
        case "short": bytes = Array(good.prefix(5))
        case "version": bytes[0] = 2
        case "huge count": for i in 1...8 { bytes[i] = 0xff }
        case "truncated": bytes.removeLast(1)
        case "trailing": bytes.append(0)
        case "order": bytes[33] = 3
        case "maintenance": bytes[49] = 0xf9; for i in 50...56 { bytes[i] = 0xff }
        default: Issue.record("unknown corruption \(corruption)")
        }
        do {
            _ = try EpochLiabilityBlob.decode(bytes, epoch: 42)
            Issue.record("\(corruption): expected an error")
        } catch {
            #expect(error.code == .corruptRecord)
            #expect(error.message.hasPrefix("proof epoch 42: liabilities blob"), "\(error)")
            #expect(error.message.contains(expected), "\(error)")
        }
        #expect(try EpochLiabilityBlob.decode(good, epoch: 42).count == 2)
    }
}
