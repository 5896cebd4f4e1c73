import PropertyBased
import Testing

@testable import FulcrumEngine

/// ``AscendingAccountSet`` (the targeted pass's reached accounts) against a `Set<Int>`: the same members, minimum and
/// count after any sequence of inserts, pops and clears, and pops in ascending order.
@Suite("Engine ascending account set")
struct AscendingAccountSetTests {
    /// One random operation sequence over `0..<keySpace` (now and then up to 2²⁰, so the set grows and has sparse
    /// stretches the summary skips); returns the first disagreement.
    static func check(seed: UInt64, keySpace: Int, operations: Int) -> String? {
        var random = SplitMixRandom(seed: seed)
        var set = AscendingAccountSet()
        var reference: Set<Int> = []
        for step in 0..<operations {
            switch random.below(16) {
            case 0:
                set.removeAll()
                reference.removeAll()
            case 1...5:
                guard let smallest = reference.min() else { break }
                let popped = set.popMinimum()
                reference.remove(smallest)
                if popped != smallest { return "step \(step): popped \(popped), expected \(smallest)" }
            default:
                let key = random.below(40) == 0 ? random.below(1 << 20) : random.below(keySpace)
                set.insert(key)
                reference.insert(key)
            }
            if set.minimum != (reference.min() ?? Int.max) || set.count != reference.count
                || set.isEmpty != reference.isEmpty
            {
                return "step \(step): minimum \(set.minimum), count \(set.count); expected \(reference.sorted())"
            }
        }
        var drained: [Int] = []
        while !set.isEmpty { drained.append(set.popMinimum()) }
        return drained == reference.sorted() ? nil : "drained \(drained), expected \(reference.sorted())"
    }

    @Test func answersLikeASet() async {
        await propertyCheck(
            count: 60,
            input: Gen.uint64(in: 0...UInt64.max),
            Gen.int(in: 1...20_000),
            Gen.int(in: 1...3_000)
        ) { seed, keySpace, operations in
            if let failure = Self.check(seed: seed, keySpace: keySpace, operations: operations) {
                Issue.record("seed \(seed), keys < \(keySpace), \(operations) operations: \(failure)")
            }
        }
    }

    /// Members far apart (one per summary block and beyond) pop in order; duplicates count once.
    @Test func popsSparseMembersInOrder() {
        var set = AscendingAccountSet()
        let members = [0, 63, 64, 4_095, 4_096, 4_097, 262_143, 262_144, 1_000_000]
        for member in members.reversed() + members { set.insert(member) }
        #expect(set.count == members.count)
        var popped: [Int] = []
        while !set.isEmpty { popped.append(set.popMinimum()) }
        #expect(popped == members)
        #expect(set.minimum == Int.max)
    }
}
