/// The holders of one ADL queue re-scored within a clearing call (see ``AutoDeleveragingQueues/Scored``): which were
/// re-scored (`contains`), and the current score of those that still hold the queue's side (`current`).
///
/// A bit set over account indices for membership (one bit per account up to the largest index set), and an
/// open-addressing table (linear probing, Fibonacci hashing, load at most one half) for the scores: this replaces a
/// `Set<Int>` and a `[Int: Int128]` whose seeded SipHash cost more than the rest of the lookup on the ADL path. Scratch only, like the queues: never part of equality, the state hash or snapshots, and the order of
/// iteration is never observed. ``removeAll()`` keeps the capacity, so a clearing call in steady state allocates
/// nothing here.
struct RescoredHolders {
    /// Slot keys: an account index, or `-1` for an empty slot. Only holders given a score enter the table.
    private var keys: [Int] = []
    /// Slot values: the holder's last score (current only while its `scored` bit is set).
    private var scores: [Int128] = []
    /// Number of occupied slots.
    private var count = 0
    /// Bit `holder % 64` of word `holder / 64` is set when `holder` was re-scored: the frequent negative answer of
    /// ``contains(_:)`` (most holders a queue walks past were not re-scored) reads one word instead of probing.
    private var members: [UInt64] = []
    /// The same bit is set when `holder` has a current score (it still holds the side); a holder re-scored without
    /// one (flat, or on the other side: half of the re-scores) never enters the table.
    private var scored: [UInt64] = []
    /// The words of `members` (and so of `scored`) with a bit set, cleared by ``removeAll()``.
    private var usedWords: [Int] = []
    /// `64 − log₂(capacity)`: the shift that maps a Fibonacci hash to a slot.
    private var shift = 64

    /// Whether `holder` was re-scored. O(1).
    func contains(_ holder: Int) -> Bool { Self.test(members, holder) }

    /// The current score of `holder`, or `nil` when it was not re-scored or no longer holds the side. O(1) expected.
    func current(_ holder: Int) -> Int128? {
        guard Self.test(scored, holder) else { return nil }
        return scores[slot(of: holder)]  // a scored holder is in the table
    }

    /// Records `holder` as re-scored, with current score `score` (`nil`: it no longer holds the side). O(1)
    /// amortized.
    mutating func set(_ holder: Int, _ score: Int128?) {
        precondition(holder >= 0, "account indices are non-negative")
        let word = holder >> 6
        let bit: UInt64 = 1 << UInt64(holder & 63)
        if word >= members.count {
            members.append(contentsOf: repeatElement(0, count: word + 1 - members.count))
            scored.append(contentsOf: repeatElement(0, count: word + 1 - scored.count))
        }
        if members[word] == 0 { usedWords.append(word) }
        members[word] |= bit
        guard let score else {
            scored[word] &= ~bit
            return
        }
        scored[word] |= bit
        if (count + 1) * 2 > keys.count { grow() }
        let slot = slot(of: holder)
        if keys[slot] != holder {
            keys[slot] = holder
            count += 1
        }
        scores[slot] = score
    }

    /// Empties the table, keeping its capacity. O(capacity).
    mutating func removeAll() {
        for word in usedWords {
            members[word] = 0
            scored[word] = 0
        }
        usedWords.removeAll(keepingCapacity: true)
        guard count > 0 else { return }
        for index in keys.indices { keys[index] = -1 }
        count = 0
    }

    /// Whether bit `holder` of `bits` is set.
    private static func test(_ bits: [UInt64], _ holder: Int) -> Bool {
        let word = holder >> 6
        return word < bits.count && bits[word] & (1 << UInt64(holder & 63)) != 0
    }

    /// The slot holding `holder`, or the empty slot where it would go. The table must have slots (at most half of
    /// them occupied, so the probe ends).
    private func slot(of holder: Int) -> Int {
        let mask = keys.count - 1
        var slot = Int(
            truncatingIfNeeded: (UInt64(truncatingIfNeeded: holder) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift)
        )
        while keys[slot] != holder && keys[slot] != -1 { slot = (slot + 1) & mask }
        return slot
    }

    /// Doubles the capacity (at least 64 slots) and re-inserts every entry.
    private mutating func grow() {
        let oldKeys = keys
        let oldScores = scores
        let capacity = max(64, keys.count * 2)
        keys = Array(repeating: -1, count: capacity)
        scores = Array(repeating: 0, count: capacity)
        shift = 64 - capacity.trailingZeroBitCount
        count = 0
        for index in oldKeys.indices where oldKeys[index] != -1 {
            let slot = slot(of: oldKeys[index])
            keys[slot] = oldKeys[index]
            scores[slot] = oldScores[index]
            count += 1
        }
    }
}
