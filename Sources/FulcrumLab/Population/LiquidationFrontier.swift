/// An ordered index of liquidation prices per side: the cascade loop touches only the crossed frontier.
///
/// A long is liquidatable once the price falls to or below its liquidation price, a short once it rises to or above
/// it. The accounts indexed at construction sit in one sorted array per side (longs highest first, shorts lowest
/// first) read through a cursor; entries pushed later (re-indexed accounts) go to a small heap per side.
/// ``popCrossed(longsAtOrBelow:into:)``/``popCrossed(shortsAtOrAbove:into:)`` merge the two in order, so a step costs
/// O(k + r log r) for k crossed accounts and r re-indexed ones, nothing for the accounts far from the price, and the
/// sorted arrays are never written after construction (paths that copy the index share them). Ties break on the
/// smaller account index (deterministic order): the entries come out exactly as from one heap of all of them.
///
/// Entries are never updated in place: when an account's liquidation price changes, push a new entry; the stale
/// one is skipped by the caller when its key no longer matches the account (lazy deletion).
public struct LiquidationFrontier: Sendable {
    /// One index entry.
    public struct Entry: Sendable, Hashable {
        /// The liquidation price (raw).
        public var key: Int64
        /// The account index.
        public var id: Int32
    }

    /// Longs indexed at construction, highest key first; `sortedLongs[longCursor...]` are still indexed.
    private let sortedLongs: [Entry]
    private var longCursor = 0
    /// Shorts indexed at construction, lowest key first; `sortedShorts[shortCursor...]` are still indexed.
    private let sortedShorts: [Entry]
    private var shortCursor = 0
    /// Longs pushed since: max-heap on key.
    private var longs: [Entry] = []
    /// Shorts pushed since: min-heap on key.
    private var shorts: [Entry] = []

    /// Builds the index from an account book (open accounts with a liquidation price only).
    ///
    /// - Complexity: O(n log n).
    public init(accounts: AccountBook) {
        var longCount = 0
        var shortCount = 0
        for i in 0..<accounts.count where accounts.sizes[i] > 0 {
            if accounts.flags[i] & AccountBook.flagLong != 0 { longCount += 1 } else { shortCount += 1 }
        }
        var longs: [Entry] = []
        var shorts: [Entry] = []
        longs.reserveCapacity(longCount)
        shorts.reserveCapacity(shortCount)
        for i in 0..<accounts.count where accounts.sizes[i] > 0 {
            let key = accounts.liquidationPrices[i]
            if accounts.flags[i] & AccountBook.flagLong != 0 {
                if key > 0 { longs.append(Entry(key: key, id: Int32(i))) }
            } else {
                shorts.append(Entry(key: key, id: Int32(i)))
            }
        }
        longs.sort { Self.before($0, $1, max: true) }
        shorts.sort { Self.before($0, $1, max: false) }
        sortedLongs = longs
        sortedShorts = shorts
    }

    /// Number of entries (including stale ones).
    public var count: Int {
        sortedLongs.count - longCursor + sortedShorts.count - shortCursor + longs.count + shorts.count
    }

    @inline(__always)
    private static func before(_ a: Entry, _ b: Entry, max: Bool) -> Bool {
        if a.key != b.key { return max ? a.key > b.key : a.key < b.key }
        return a.id < b.id
    }

    private static func siftDown(_ heap: inout [Entry], _ start: Int, max: Bool) {
        var i = start
        let n = heap.count
        while true {
            let l = 2 * i + 1
            if l >= n { return }
            var best = l
            let r = l + 1
            if r < n && before(heap[r], heap[l], max: max) { best = r }
            if before(heap[best], heap[i], max: max) {
                heap.swapAt(best, i)
                i = best
            } else {
                return
            }
        }
    }

    private static func siftUp(_ heap: inout [Entry], _ start: Int, max: Bool) {
        var i = start
        while i > 0 {
            let p = (i - 1) / 2
            if before(heap[i], heap[p], max: max) {
                heap.swapAt(i, p)
                i = p
            } else {
                return
            }
        }
    }

    private static func pop(_ heap: inout [Entry], max: Bool) -> Entry {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(&heap, 0, max: max)
        }
        return top
    }

    /// Adds (or re-adds) an account's liquidation price.
    public mutating func push(id: Int, key: Int64, isLong: Bool) {
        if isLong {
            guard key > 0 else { return }
            longs.append(Entry(key: key, id: Int32(id)))
            Self.siftUp(&longs, longs.count - 1, max: true)
        } else {
            shorts.append(Entry(key: key, id: Int32(id)))
            Self.siftUp(&shorts, shorts.count - 1, max: false)
        }
    }

    /// Pops every long entry whose liquidation price is `≥ price`, highest first, into `output`.
    public mutating func popCrossed(longsAtOrBelow price: Int64, into output: inout [Entry]) {
        while let next = nextLongEntry, next.key >= price {
            output.append(next)
            if longCursor < sortedLongs.count && sortedLongs[longCursor] == next {
                longCursor += 1
            } else {
                _ = Self.pop(&longs, max: true)
            }
        }
    }

    /// Pops every short entry whose liquidation price is `≤ price`, lowest first, into `output`.
    public mutating func popCrossed(shortsAtOrAbove price: Int64, into output: inout [Entry]) {
        while let next = nextShortEntry, next.key <= price {
            output.append(next)
            if shortCursor < sortedShorts.count && sortedShorts[shortCursor] == next {
                shortCursor += 1
            } else {
                _ = Self.pop(&shorts, max: false)
            }
        }
    }

    /// The next long entry in order: the first of the sorted array or of the heap, whichever comes first.
    private var nextLongEntry: Entry? {
        let sorted = longCursor < sortedLongs.count ? sortedLongs[longCursor] : nil
        guard let pushed = longs.first else { return sorted }
        guard let sorted else { return pushed }
        return Self.before(pushed, sorted, max: true) ? pushed : sorted
    }

    /// The next short entry in order (see ``nextLongEntry``).
    private var nextShortEntry: Entry? {
        let sorted = shortCursor < sortedShorts.count ? sortedShorts[shortCursor] : nil
        guard let pushed = shorts.first else { return sorted }
        guard let sorted else { return pushed }
        return Self.before(pushed, sorted, max: false) ? pushed : sorted
    }

    /// The highest long liquidation price still indexed (the next long to go), if any.
    public var nextLong: Int64? { nextLongEntry?.key }
    /// The lowest short liquidation price still indexed, if any.
    public var nextShort: Int64? { nextShortEntry?.key }
}
