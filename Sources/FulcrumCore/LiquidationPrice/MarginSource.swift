/// Where a position's margin comes from when its liquidation price is solved.
public enum MarginSource: Sendable, Hashable {
    /// An explicit amount in the settlement currency: the isolated margin (isolated mode) or the cross wallet
    /// balance (cross mode).
    case wallet(Money)
    /// A leverage: the margin is the entry notional ÷ leverage, rounded **down** (the smaller margin gives the
    /// liquidation price closer to entry, which is the conservative side for the trader).
    case leverage(Leverage)
}
