/// A set of account indices handed out smallest first: a two-level bit set plus its smallest member.
///
/// The targeted clearing pass visits the accounts it reaches above the one it is clearing in ascending order (ADL
/// counterparties, executor counterparties), and merges every account it reached into its next scope. Binary heaps
/// and sorts did that in O(log n) per account with an unpredictable branch per level; here an insert is O(1)
/// (inserting a member twice keeps one) and a pop finds the next member through a summary word per 64 words, so it
/// costs O(1 + accounts / 4,096) at worst and O(1) when the members are dense.
///
/// Invariants: bit `w` of `summary` is set exactly when `words[w]` is not zero; `minimum` is the smallest member
/// (`Int.max` when empty); `count` is the number of members.
struct AscendingAccountSet {
    private var words: [UInt64] = []
    private var summary: [UInt64] = []
    /// The smallest member, `Int.max` when the set is empty.
    private(set) var minimum = Int.max
    /// The number of members.
    private(set) var count = 0

    /// Whether the set has no member.
    var isEmpty: Bool { count == 0 }

    /// Adds `account` (≥ 0). O(1), or O(account / 64) the first time the set grows to reach it.
    mutating func insert(_ account: Int) {
        let word = account >> 6
        if word >= words.count {
            words.append(contentsOf: repeatElement(0, count: word + 1 - words.count))
            let summaryWords = (words.count + 63) >> 6
            summary.append(contentsOf: repeatElement(0, count: summaryWords - summary.count))
        }
        let bit: UInt64 = 1 << UInt64(account & 63)
        guard words[word] & bit == 0 else { return }
        words[word] |= bit
        summary[word >> 6] |= 1 << UInt64(word & 63)
        count += 1
        if account < minimum { minimum = account }
    }

    /// Removes and returns the smallest member of the non-empty set. O(1 + words / 64) at worst.
    mutating func popMinimum() -> Int {
        let first = minimum
        let word = first >> 6
        words[word] &= ~(1 << UInt64(first & 63))
        count -= 1
        guard count > 0 else {
            summary[word >> 6] &= ~(1 << UInt64(word & 63))
            minimum = Int.max
            return first
        }
        if words[word] != 0 {
            minimum = word << 6 | words[word].trailingZeroBitCount
            return first
        }
        summary[word >> 6] &= ~(1 << UInt64(word & 63))
        // The next non-empty word is above `word` (every member is above `first`): the summary scan stops in bounds.
        var block = word >> 6
        var bits = summary[block]  // `word`'s own bit is clear now, and every lower one is
        while bits == 0 {
            block += 1
            bits = summary[block]
        }
        let next = block << 6 | bits.trailingZeroBitCount
        minimum = next << 6 | words[next].trailingZeroBitCount
        return first
    }

    /// Removes every member, keeping the capacity. O(1) when empty, O(words) otherwise.
    mutating func removeAll() {
        guard count > 0 else { return }
        for index in words.indices { words[index] = 0 }
        for index in summary.indices { summary[index] = 0 }
        count = 0
        minimum = Int.max
    }
}
