/// A timestamped ``LendingAction``: the market accrues to `time` (seconds, non-decreasing) before acting.
public struct LendingEvent: Sendable, Hashable {
    /// Event time in seconds; `nil` keeps the market clock.
    public var time: UInt64?
    /// The action.
    public var action: LendingAction

    /// Creates an event.
    public init(time: UInt64?, action: LendingAction) {
        self.time = time
        self.action = action
    }
}
