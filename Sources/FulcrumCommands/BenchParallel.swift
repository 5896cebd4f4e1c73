import Dispatch

/// Runs independent chunks of a workload on `threads` threads and returns the per-chunk results in chunk order.
///
/// Chunk `i` covers `[i·count/threads, (i+1)·count/threads)` (floor: the last chunk ends at `count`); each result is
/// written to its own slot, so the output does not depend on scheduling.
enum BenchParallel {
    /// A buffer whose slots are written by exactly one chunk each (disjoint indices: no data race).
    struct Slots<Element>: @unchecked Sendable {
        let base: UnsafeMutablePointer<Element>
    }

    /// A value owned by one chunk and reused across timed runs (only that chunk's thread touches it).
    final class Box<Value>: @unchecked Sendable {
        /// The chunk's value.
        var value: Value

        /// Wraps `value`.
        init(_ value: Value) { self.value = value }
    }

    /// The chunk ranges of `count` items over `threads` threads.
    static func ranges(count: Int, threads: Int) -> [Range<Int>] {
        let parts = max(1, threads)
        return (0..<parts).map { part in (part * count / parts)..<((part + 1) * count / parts) }
    }

    /// `body` on every chunk, concurrently; results in chunk order.
    static func map<Result: Sendable>(
        count: Int,
        threads: Int,
        initial: Result,
        _ body: @Sendable (Int, Range<Int>) -> Result
    ) -> [Result] {
        let chunks = ranges(count: count, threads: threads)
        let buffer = UnsafeMutablePointer<Result>.allocate(capacity: chunks.count)
        buffer.initialize(repeating: initial, count: chunks.count)
        defer {
            buffer.deinitialize(count: chunks.count)
            buffer.deallocate()
        }
        let slots = Slots(base: buffer)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { part in
            slots.base[part] = body(part, chunks[part])
        }
        return Array(UnsafeBufferPointer(start: buffer, count: chunks.count))
    }
}
