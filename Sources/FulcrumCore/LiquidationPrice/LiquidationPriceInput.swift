/// Everything needed to solve one position's liquidation and bankruptcy price.
public struct LiquidationPriceInput: Sendable, Hashable {
    /// Long or short.
    public var side: PositionSide
    /// Average entry price (positive).
    public var entryPrice: Price
    /// Absolute size (positive): base units for linear markets, contracts for inverse ones.
    public var size: Quantity
    /// The isolated margin / cross wallet, or a leverage from which the margin follows.
    public var margin: MarginSource
    /// Isolated or cross.
    public var mode: MarginMode
    /// Cross mode only: the account's other positions (ignored in isolated mode).
    public var otherPositions: [CrossPosition]
    /// Parameter overrides.
    public var overrides: LiquidationOverrides

    /// Creates an input.
    public init(
        side: PositionSide,
        entryPrice: Price,
        size: Quantity,
        margin: MarginSource,
        mode: MarginMode = .isolated,
        otherPositions: [CrossPosition] = [],
        overrides: LiquidationOverrides = .none
    ) {
        self.side = side
        self.entryPrice = entryPrice
        self.size = size
        self.margin = margin
        self.mode = mode
        self.otherPositions = otherPositions
        self.overrides = overrides
    }
}
