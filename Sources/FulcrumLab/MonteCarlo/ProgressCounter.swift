import Synchronization

/// A thread-safe counter of finished paths (for progress reporting only; results never depend on it).
final class ProgressCounter: Sendable {
    private let value = Atomic<Int>(0)

    /// Adds one and returns the new count.
    func increment() -> Int { value.add(1, ordering: .relaxed).newValue }
}
