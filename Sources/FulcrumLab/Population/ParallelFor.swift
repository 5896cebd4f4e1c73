import Dispatch

/// Runs `count` independent jobs on up to `threads` threads (Dispatch `concurrentPerform`).
///
/// Jobs must write only their own output slots; results are then read in job order, so the outcome does not
/// depend on scheduling or on the thread count.
enum ParallelFor {
    static func run(count: Int, threads: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        if threads <= 1 || count == 1 {
            for i in 0..<count { body(i) }
            return
        }
        let workers = Swift.min(threads, count)
        withoutActuallyEscaping(body) { job in
            let box = UncheckedBox(job)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var i = worker
                while i < count {
                    box.value(i)
                    i += workers
                }
            }
        }
    }
}

/// Carries a closure into `concurrentPerform`; safe because each job touches only its own slots.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
