/// Scored ADL queues reused within one clearing call (a sweep or a targeted liquidation), where prices do not change:
/// a holder's score changes only when its own position or margin pool does, and every such change emits an effect
/// naming it (fill, fee, ADL, cover, socialization). So the queue of a (market, side) is scored once per call; the
/// accounts named by the effects emitted since are re-scored before each use and kept apart from the scored base.
/// The order is the one ``ClearingEngine/queue(_:sign:excluding:)`` computes, at O(touched) per ADL instead of
/// O(holders · log holders).
///
/// The engine keeps one value across calls (``ClearingEngine/clearingScratch``) and ``reset(effects:markets:)``
/// empties it keeping every buffer's capacity, so a clearing call in steady state allocates nothing here. It is
/// scratch only: never part of equality, the state hash, snapshots or conservation.
struct AutoDeleveragingQueues {
    /// One (market, side): the holders scored when the queue was built, in ADL order, and those re-scored since
    /// (`rescored`: skipped in the base; `touched`: their current entries, sorted in ADL order).
    ///
    /// The base is ordered lazily: `base` is its sorted head, `unordered` a heap (first = next in ADL order) of the
    /// rest, so building the queue costs O(holders) and reading its first `k` entries O(k log holders) instead of a
    /// full O(holders · log holders) sort. ``ClearingEngine/precedes(_:_:)`` is a strict total order (account ids
    /// are distinct), so the head is exactly the sorted array's prefix.
    ///
    /// A prefiltered base (see ``ClearingEngine/buildPrefiltered(_:market:sign:)``) holds only the candidates: every
    /// holder left out scores at most `bound`, so an entry may leave the heap only while its score is above `bound`;
    /// past that the next candidates are taken (``ClearingEngine/extendBase(_:key:)``).
    struct Scored {
        /// Whether the queue was built in the current clearing call.
        var isBuilt = false
        /// The base's sorted head (entries `0..<base.count` of the sorted base).
        var base: [(Int128, Int)] = []
        /// The rest of the base: a heap in ADL order.
        var unordered: [(Int128, Int)] = []
        /// Every base entry before it belongs to a re-scored holder.
        var start = 0
        /// When the base is prefiltered: an upper bound of the score of every holder left out of it; `nil` when the
        /// base holds every holder.
        var bound: Int128?
        /// When the base is prefiltered: `(bound, holder)` of every holder the bound scan vouched for; the first
        /// `excludedCount` are still left out of the base.
        var excluded: [(Double, Int)] = []
        var excludedCount = 0
        /// How many of `excluded` were taken into the base.
        var taken = 0
        /// The re-scored holders (skipped in the base) and their current scores.
        var rescored = RescoredHolders()
        /// Re-scored holders: a heap in ADL order (first = next) with lazy deletion — an entry is live only while it
        /// equals the holder's current score in `rescored`.
        var touched: [(Int128, Int)] = []

        /// Empties the queue, keeping the capacity of every buffer.
        mutating func reset() {
            isBuilt = false
            base.removeAll(keepingCapacity: true)
            unordered.removeAll(keepingCapacity: true)
            start = 0
            bound = nil
            excluded.removeAll(keepingCapacity: true)
            excludedCount = 0
            taken = 0
            rescored.removeAll()
            touched.removeAll(keepingCapacity: true)
        }

        /// Turns the entries appended to `unordered` into a heap (O(n), bottom-up).
        mutating func heapify() {
            guard unordered.count > 1 else { return }
            for index in stride(from: unordered.count / 2 - 1, through: 0, by: -1) {
                Self.siftDown(&unordered, from: index)
            }
        }

        /// Entry `index` of the sorted base, ordering the head up to it on demand; `nil` past the end, or past what a
        /// prefiltered base can tell (the next entry does not score above `bound`).
        mutating func base(at index: Int) -> (Int128, Int)? {
            while base.count <= index, let top = unordered.first {
                if let bound, top.0 <= bound { break }
                base.append(top)
                let last = unordered.removeLast()
                if !unordered.isEmpty {
                    unordered[0] = last
                    Self.siftDown(&unordered, from: 0)
                }
            }
            return index < base.count ? base[index] : nil
        }

        /// Restores the heap order below `start` (first = next in ADL order).
        ///
        /// The entry at `start` is lifted out and the preceding child moved up into the hole until the entry fits:
        /// one write per level instead of a swap's two. Indices stay below `heap.count` (`left < count` is checked
        /// before every read), so the buffer is read without bounds checks.
        static func siftDown(_ heap: inout [(Int128, Int)], from start: Int) {
            heap.withUnsafeMutableBufferPointer { heap in
                let count = heap.count
                guard start < count else { return }
                let entry = heap[start]
                var hole = start
                while true {
                    let left = 2 * hole + 1
                    guard left < count else { break }
                    let right = left + 1
                    let child = right < count && ClearingEngine.precedes(heap[right], heap[left]) ? right : left
                    guard ClearingEngine.precedes(heap[child], entry) else { break }
                    heap[hole] = heap[child]
                    hole = child
                }
                heap[hole] = entry
            }
        }

        mutating func push(_ entry: (Int128, Int)) {
            touched.append(entry)
            var child = touched.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard ClearingEngine.precedes(touched[child], touched[parent]) else { return }
                touched.swapAt(child, parent)
                child = parent
            }
        }

        mutating func popFirst() {
            let last = touched.removeLast()
            guard !touched.isEmpty else { return }
            touched[0] = last
            Self.siftDown(&touched, from: 0)
        }

        /// Drops stale entries from the top of the heap.
        mutating func dropStale() {
            while let top = touched.first, rescored.current(top.1) != top.0 { popFirst() }
        }
    }

    /// Queues by `market << 1 | side` (side 1: longs); only those with ``Scored/isBuilt`` are in use.
    var scored: [Scored] = []
    /// The keys built in the current call, in build order.
    var built: [Int] = []
    /// Effects already accounted for.
    var seen = 0
    /// The head returned by the last ``ClearingEngine/cachedQueue(_:sign:excluding:covering:queues:effects:)``.
    var head: [AccountID] = []
    /// How many holders the bound scan keeps as candidates at least (holders it cannot bound are always kept); tests
    /// lower it to exercise the prefilter on small populations.
    var candidateFloor = 1_024
    /// Test hook: take every head from the plain ``ClearingEngine/queue(_:sign:excluding:)`` (the reference order).
    var usesPlainQueue = false
    /// Prefiltered bases extended after their candidates ran out (for tests and diagnostics; not state).
    var completions = 0
    /// Prefiltered bases built (for tests and diagnostics; not state).
    var prefiltered = 0

    /// Empties every queue used by the previous call, keeping the buffers' capacity, for a call that starts after
    /// `effects` effects over `markets` markets (grows the per-key slots when markets were listed since).
    mutating func reset(effects: Int, markets: Int) {
        for key in built { scored[key].reset() }
        built.removeAll(keepingCapacity: true)
        if scored.count < 2 * markets {
            scored.append(contentsOf: repeatElement(Scored(), count: 2 * markets - scored.count))
        }
        head.removeAll(keepingCapacity: true)
        seen = effects
    }
}
