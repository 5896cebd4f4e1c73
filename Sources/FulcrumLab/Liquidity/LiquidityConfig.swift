public import FulcrumCore

/// The liquidity the liquidations trade against, and how it reacts.
public struct LiquidityConfig: Sendable, Hashable {
    /// The venue's liquidity model.
    public enum Model: Sendable, Hashable {
        /// An L2 order book (parametric or from a snapshot).
        case book(bids: BookLevels, asks: BookLevels)
        /// A constant-product pool holding `baseDepth` of base at the start price on each side.
        case constantProduct(baseDepth: Quantity)
        /// A virtual AMM with virtual base reserve `baseDepth`, repegged toward the index by `resilience`.
        case virtualAMM(baseDepth: Quantity)
    }

    /// The model.
    public var model: Model
    /// Multiplies all depth (`--depth-scale`).
    public var depthScale: Double
    /// Fraction of consumed depth restored per step (0: never refills; 1: fully refilled next step).
    public var resilience: Double
    /// Fraction of the price displacement that does not revert when depth refills (permanent impact), in [0, 1].
    public var permanentImpact: Double
    /// Stress withdrawal: depth multiplier `1 / (1 + k · max(0, σ/σ_ref − 1))`, floored at `withdrawalFloor`.
    public var withdrawalSensitivity: Double
    /// Lowest depth multiplier withdrawal can reach, in (0, 1].
    public var withdrawalFloor: Double
    /// Reference per-step volatility σ_ref of the traded price (calm market).
    public var referenceVolatility: Double
    /// Half-life (steps) of the EWMA of squared traded log returns that estimates σ.
    public var volatilityHalfLife: Double

    /// Creates a configuration.
    public init(
        model: Model,
        depthScale: Double = 1,
        resilience: Double = 0.05,
        permanentImpact: Double = 0.5,
        withdrawalSensitivity: Double = 0.5,
        withdrawalFloor: Double = 0.25,
        referenceVolatility: Double = 0.0007,
        volatilityHalfLife: Double = 10
    ) {
        self.model = model
        self.depthScale = depthScale
        self.resilience = resilience
        self.permanentImpact = permanentImpact
        self.withdrawalSensitivity = withdrawalSensitivity
        self.withdrawalFloor = withdrawalFloor
        self.referenceVolatility = referenceVolatility
        self.volatilityHalfLife = volatilityHalfLife
    }

    /// Checks every field.
    ///
    /// - Throws: ``LabError`` naming the field and value.
    public func validate() throws(LabError) {
        guard depthScale > 0, depthScale.isFinite else {
            throw LabError("liquidity.depthScale \(depthScale) must be positive")
        }
        guard resilience >= 0, resilience <= 1 else {
            throw LabError("liquidity.resilience \(resilience) must be in [0, 1]")
        }
        guard permanentImpact >= 0, permanentImpact <= 1 else {
            throw LabError("liquidity.permanentImpact \(permanentImpact) must be in [0, 1]")
        }
        guard withdrawalSensitivity >= 0, withdrawalSensitivity.isFinite else {
            throw LabError("liquidity.withdrawalSensitivity \(withdrawalSensitivity) must be ≥ 0")
        }
        guard withdrawalFloor > 0, withdrawalFloor <= 1 else {
            throw LabError("liquidity.withdrawalFloor \(withdrawalFloor) must be in (0, 1]")
        }
        guard referenceVolatility > 0, referenceVolatility.isFinite else {
            throw LabError("liquidity.referenceVolatility \(referenceVolatility) must be positive")
        }
        guard volatilityHalfLife > 0, volatilityHalfLife.isFinite else {
            throw LabError("liquidity.volatilityHalfLife \(volatilityHalfLife) must be positive")
        }
        switch model {
        case .book: break
        case .constantProduct(let depth), .virtualAMM(let depth):
            guard depth.isPositive else { throw LabError("liquidity.baseDepth \(depth) must be positive") }
        }
    }
}
