import Foundation
import Synchronization

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

    /// `body` on every chunk of `count` items, one chunk per thread of `team`, concurrently; results in chunk order.
    /// The calling thread runs chunk 0.
    static func map<Result: Sendable>(
        team: Team,
        count: Int,
        initial: Result,
        _ body: @escaping @Sendable (Int, Range<Int>) -> Result
    ) -> [Result] {
        let chunks = ranges(count: count, threads: team.threads)
        let buffer = UnsafeMutablePointer<Result>.allocate(capacity: chunks.count)
        buffer.initialize(repeating: initial, count: chunks.count)
        defer {
            buffer.deinitialize(count: chunks.count)
            buffer.deallocate()
        }
        let slots = Slots(base: buffer)
        team.run { part in slots.base[part] = body(part, chunks[part]) }
        return Array(UnsafeBufferPointer(start: buffer, count: chunks.count))
    }

    /// Worker threads that stay running for a whole measurement, so that every timed run hands its chunks to threads
    /// that are already on a core.
    ///
    /// `DispatchQueue.concurrentPerform` was used before; on this 2-vCPU VM its worker often started the second
    /// chunk only after the first had finished (an idle vCPU is slow to wake): two 0.9 ms chunks took 1.03 ms at the
    /// median back to back and 1.83 ms after a 2 ms pause, i.e. one after the other. The team's workers spin on a
    /// generation counter between runs (yielding every 1,024 polls), so a run costs one atomic increment to start
    /// and one counter to wait on. Create it before timing and ``stop()`` it afterwards: its workers use a core each
    /// while it lives.
    final class Team: @unchecked Sendable {
        /// Threads per run, the caller's included.
        let threads: Int
        /// Incremented to start a run (release: publishes ``job``).
        private let generation = Atomic<Int>(0)
        /// Workers done with the current run.
        private let finished = Atomic<Int>(0)
        /// Set to end the workers.
        private let stopping = Atomic<Bool>(false)
        /// Workers that have returned.
        private let exited = Atomic<Int>(0)
        /// The current run's body; written by the caller before ``generation`` is incremented, read by the workers
        /// after they see the increment, never written while a run is in flight.
        private var job: (@Sendable (Int) -> Void)?

        /// Starts `threads − 1` workers (none for one thread).
        init(threads: Int) {
            self.threads = max(1, threads)
            for worker in 1..<self.threads {
                let thread = Thread { [self] in self.work(worker) }
                thread.start()
            }
        }

        /// A worker's loop: wait for the next generation, run its chunk, report.
        private func work(_ worker: Int) {
            var seen = 0
            var polls = 0
            while true {
                let current = generation.load(ordering: .acquiring)
                if current == seen {
                    if stopping.load(ordering: .acquiring) {
                        exited.add(1, ordering: .releasing)
                        return
                    }
                    polls &+= 1
                    if polls & 1_023 == 0 { sched_yield() }
                    continue
                }
                seen = current
                job?(worker)
                finished.add(1, ordering: .releasing)
            }
        }

        /// Runs `body(0)` on the calling thread and `body(i)` on worker `i`, and returns when all have finished.
        func run(_ body: @escaping @Sendable (Int) -> Void) {
            guard threads > 1 else {
                body(0)
                return
            }
            job = body
            finished.store(0, ordering: .relaxed)
            generation.add(1, ordering: .releasing)  // publishes `job` and the reset counter
            body(0)
            var polls = 0
            while finished.load(ordering: .acquiring) < threads - 1 {
                polls &+= 1
                if polls & 1_023 == 0 { sched_yield() }
            }
            job = nil
        }

        /// Ends the workers and waits for them to return.
        func stop() {
            stopping.store(true, ordering: .releasing)
            while exited.load(ordering: .acquiring) < threads - 1 { sched_yield() }
        }
    }
}
