public import FulcrumCore

/// One open position for the liquidation heatmap: its side, size and the price at which it is liquidated.
public struct HeatmapPosition: Sendable, Hashable {
    /// Long or short.
    public var side: PositionSide
    /// Absolute size in base units.
    public var size: Quantity
    /// The venue's liquidation price for the position.
    public var liquidationPrice: Price

    /// Creates a position.
    public init(side: PositionSide, size: Quantity, liquidationPrice: Price) {
        self.side = side
        self.size = size
        self.liquidationPrice = liquidationPrice
    }
}
