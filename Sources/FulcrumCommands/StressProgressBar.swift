import Foundation
import Synchronization

/// A progress bar on stderr for long runs (paths finished of the total); thread-safe, throttled to whole percents.
final class ProgressBar: Sendable {
    private let total: Int
    private let enabled: Bool
    private let lastPercent = Atomic<Int>(-1)

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    /// Reports `done` paths finished (called from worker threads).
    @Sendable func update(_ done: Int) {
        guard enabled, total > 0 else { return }
        let percent = done * 100 / total
        let previous = lastPercent.load(ordering: .relaxed)
        guard percent > previous,
            lastPercent.compareExchange(expected: previous, desired: percent, ordering: .relaxed).exchanged
        else { return }
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) paths".utf8))
    }

    /// Ends the bar line.
    func finish() {
        guard enabled, lastPercent.load(ordering: .relaxed) >= 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
