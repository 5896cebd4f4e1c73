import PropertyBased
import Testing

@testable import FulcrumEngine

/// ``RescoredHolders`` (the ADL queue's open-addressing table) against the `Set<Int>` + `[Int: Int128]` pair it
/// replaced: the same answers after any sequence of sets and clears, through growth and reuse after `removeAll`.
@Suite("Engine ADL rescored-holders table")
struct RescoredHoldersTests {
    /// One random operation sequence; keys are drawn from `0..<keySpace` so collisions and re-sets are frequent, and
    /// from `0..<2²²` now and then (the hash must spread any account index; the bit set grows to the largest).
    static func check(seed: UInt64, keySpace: Int, operations: Int) -> String? {
        var random = SplitMixRandom(seed: seed)
        var table = RescoredHolders()
        var moved: Set<Int> = []
        var current: [Int: Int128] = [:]
        var probes: [Int] = []
        for step in 0..<operations {
            let key = random.below(50) == 0 ? random.below(1 << 22) : random.below(keySpace)
            probes.append(key)
            switch random.below(20) {
            case 0:
                table.removeAll()
                moved.removeAll()
                current.removeAll()
            case 1...6:
                table.set(key, nil)
                moved.insert(key)
                current[key] = nil
            default:
                let score = Int128(Int64.min / 2 + Int64(random.below(Int.max)))
                table.set(key, score)
                moved.insert(key)
                current[key] = score
            }
            for probe in probes.suffix(16) + [key, key + 1, random.below(keySpace)] {
                if table.contains(probe) != moved.contains(probe) {
                    return "step \(step): contains(\(probe)) = \(table.contains(probe))"
                }
                if table.current(probe) != current[probe] {
                    return "step \(step): current(\(probe)) = \(String(describing: table.current(probe)))"
                }
            }
        }
        return nil
    }

    @Test func answersLikeASetAndADictionary() async {
        await propertyCheck(
            count: 40,
            input: Gen.uint64(in: 0...UInt64.max),
            Gen.int(in: 1...5_000),
            Gen.int(in: 1...3_000)
        ) { seed, keySpace, operations in
            if let failure = Self.check(seed: seed, keySpace: keySpace, operations: operations) {
                Issue.record("seed \(seed), keys < \(keySpace), \(operations) operations: \(failure)")
            }
        }
    }

    /// A fixed case that grows the table several times (64 → 4,096 slots), clears it and fills it again.
    @Test func growsClearsAndRefills() {
        var table = RescoredHolders()
        #expect(!table.contains(0))
        #expect(table.current(0) == nil)
        for holder in 0..<1_500 { table.set(holder * 7, holder % 3 == 0 ? nil : Int128(holder)) }
        #expect(table.contains(700) && table.current(700) == 100)
        #expect(table.contains(21) && table.current(21) == nil)
        #expect(!table.contains(701))
        table.set(700, nil)
        #expect(table.contains(700) && table.current(700) == nil)
        table.removeAll()
        #expect(!table.contains(700) && table.current(5) == nil)
        table.set(5, 9)
        #expect(table.current(5) == 9 && !table.contains(12) && !table.contains(700))
        table.set(5, nil)
        table.set(5, 11)
        #expect(table.current(5) == 11)
    }
}
