/// One ordered set of liquidation keys (one market, one side) of a ``LiquidationIndex``.
///
/// Keys are normalised so that an entry is *crossed* by a probe when `key ≥ probe`: a long-side key is the highest
/// price at which the position must be re-checked (probe = the price), a short-side key is minus the lowest such
/// price (probe = minus the price). The crossed entries are therefore always a suffix of the sorted run, which a
/// query scans and then cuts off in O(1) (every crossed pool is re-keyed, so its old entries are dead).
///
/// Layout: a sorted run plus an unsorted pending run of recent insertions, merged into the sorted run when it grows
/// past ``mergeThreshold`` (a sort of the pending run and one backward in-place merge). Entries are never removed
/// individually: an entry is live only while its generation equals the slot's current generation in the index, so
/// re-keying a slot is O(1) and dead entries are dropped by queries, merges and compactions.
///
/// - Complexity: query O(log n + k + p) for n sorted entries, k crossed entries and p pending entries; insertion O(1)
///   amortised (the merge costs O(n + p log p) once per ``mergeThreshold`` insertions).
struct LiquidationKeyBook: Sendable {
    /// One key: normalised key, position slot (`account · marketCount + market`) and the slot's generation.
    struct Entry: Sendable {
        var key: Int64
        var slot: UInt32
        var generation: UInt32
    }

    /// Sorted by key, ascending.
    var sorted: [Entry] = []
    /// Insertions since the last merge, in no order.
    var pending: [Entry] = []
    /// Entries of `sorted` known to be dead (re-keyed elsewhere); triggers a compaction past half the run.
    var deadInSorted = 0

    /// Pending entries tolerated before a merge: at least 4,096, and 1/32 of the sorted run.
    var mergeThreshold: Int { max(4_096, sorted.count / 32) }

    /// Adds an entry (to the pending run).
    @inline(__always)
    mutating func insert(_ entry: Entry) { pending.append(entry) }

    /// The index of the first sorted entry with `key ≥ probe` (binary search).
    func crossedStart(_ probe: Int64) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid].key >= probe { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Merges the pending run into the sorted run, dropping dead entries (`isLive` decides).
    mutating func merge(isLive: (Entry) -> Bool) {
        pending.removeAll { !isLive($0) }
        pending.sort { $0.key < $1.key }
        let old = sorted.count
        let added = pending.count
        guard added > 0 else { return }
        sorted.append(contentsOf: pending)  // grows the storage; the tail is overwritten by the merge below
        sorted.withUnsafeMutableBufferPointer { run in
            pending.withUnsafeBufferPointer { incoming in
                var write = old + added - 1
                var left = old - 1
                var right = added - 1
                while right >= 0 {
                    if left >= 0 && run[left].key > incoming[right].key {
                        run[write] = run[left]
                        left -= 1
                    } else {
                        run[write] = incoming[right]
                        right -= 1
                    }
                    write -= 1
                }
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Drops the dead entries of the sorted run in place.
    mutating func compact(isLive: (Entry) -> Bool) {
        sorted.removeAll { !isLive($0) }
        deadInSorted = 0
    }
}
