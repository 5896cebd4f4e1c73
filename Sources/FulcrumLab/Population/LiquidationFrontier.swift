/// An ordered index of liquidation prices per side: the cascade loop touches only the crossed frontier.
///
/// Longs sit in a max-heap on liquidation price (a long is liquidatable once the price falls to or below it);
/// shorts in a min-heap. ``popCrossed(longsAtOrBelow:)``/``popCrossed(shortsAtOrAbove:)`` pop every entry the
/// current price crosses in O(k log n) for k crossed accounts, so a step costs nothing for the millions of
/// accounts far from the price. Ties break on the smaller account index (deterministic order).
///
/// Entries are never updated in place: when an account's liquidation price changes, push a new entry; the stale
/// one is skipped by the caller when its key no longer matches the account (lazy deletion).
public struct LiquidationFrontier: Sendable {
    /// One heap entry.
    public struct Entry: Sendable, Hashable {
        /// The liquidation price (raw).
        public var key: Int64
        /// The account index.
        public var id: Int32
    }

    /// Longs: max-heap on key.
    private var longs: [Entry] = []
    /// Shorts: min-heap on key.
    private var shorts: [Entry] = []

    /// Builds the index from an account book (open accounts with a liquidation price only).
    ///
    /// - Complexity: O(n) (bottom-up heap construction).
    public init(accounts: AccountBook) {
        var longCount = 0
        var shortCount = 0
        for i in 0..<accounts.count where accounts.sizes[i] > 0 {
            if accounts.flags[i] & AccountBook.flagLong != 0 { longCount += 1 } else { shortCount += 1 }
        }
        // Exact capacity plus room for re-indexed entries (partial closes, ADL) before the first growth.
        longs.reserveCapacity(longCount + longCount / 16)
        shorts.reserveCapacity(shortCount + shortCount / 16)
        for i in 0..<accounts.count where accounts.sizes[i] > 0 {
            let key = accounts.liquidationPrices[i]
            if accounts.flags[i] & AccountBook.flagLong != 0 {
                if key > 0 { longs.append(Entry(key: key, id: Int32(i))) }
            } else {
                shorts.append(Entry(key: key, id: Int32(i)))
            }
        }
        if longs.count > 1 {
            for i in stride(from: longs.count / 2 - 1, through: 0, by: -1) { Self.siftDown(&longs, i, max: true) }
        }
        if shorts.count > 1 {
            for i in stride(from: shorts.count / 2 - 1, through: 0, by: -1) { Self.siftDown(&shorts, i, max: false) }
        }
    }

    /// Number of entries (including stale ones).
    public var count: Int { longs.count + shorts.count }

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
        while let top = longs.first, top.key >= price { output.append(Self.pop(&longs, max: true)) }
    }

    /// Pops every short entry whose liquidation price is `≤ price`, lowest first, into `output`.
    public mutating func popCrossed(shortsAtOrAbove price: Int64, into output: inout [Entry]) {
        while let top = shorts.first, top.key <= price { output.append(Self.pop(&shorts, max: false)) }
    }

    /// The highest long liquidation price still indexed (the next long to go), if any.
    public var nextLong: Int64? { longs.first?.key }
    /// The lowest short liquidation price still indexed, if any.
    public var nextShort: Int64? { shorts.first?.key }
}
