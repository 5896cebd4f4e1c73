/// Agents beyond the passive accounts; each can be switched off.
public struct AgentsConfig: Sendable, Hashable {
    /// Liquidation hunters: sell `hunterCapital` (quote) when the long liquidation notional within `hunterReach`
    /// below the traded price is at least `hunterTriggerMultiple × hunterCapital`; buy back after
    /// `hunterHoldSteps`.
    public var huntersEnabled: Bool
    /// Hunter capital per attack (quote units).
    public var hunterCapital: Double
    /// How far below the price hunters look (fraction).
    public var hunterReach: Double
    /// Cluster notional ÷ capital that makes an attack pay.
    public var hunterTriggerMultiple: Double
    /// Steps a hunter holds its short before buying back.
    public var hunterHoldSteps: Int
    /// Arbitrageurs between the perp and the index: each step they buy back `arbitrageStrength` of the bid
    /// depletion observed `arbitrageLagSteps` ago (and sell the same fraction of ask depletion).
    public var arbitrageEnabled: Bool
    /// Steps of lag before arbitrageurs react.
    public var arbitrageLagSteps: Int
    /// Fraction of the lagged displacement arbitrageurs close per step, in [0, 1].
    public var arbitrageStrength: Double
    /// Deleveraging agents (a fraction of the population, `PopulationConfig.deleveragerFraction`) cut
    /// `deleverageFraction` of their position once the traded volatility exceeds
    /// `deleverageVolatilityMultiple × referenceVolatility`.
    public var deleveragingEnabled: Bool
    /// Volatility multiple that triggers deleveraging.
    public var deleverageVolatilityMultiple: Double
    /// Fraction of the position a deleveraging agent closes, in (0, 1].
    public var deleverageFraction: Double

    /// Creates a configuration; defaults are the built-in scenario's.
    public init(
        huntersEnabled: Bool = true,
        hunterCapital: Double = 20_000_000,
        hunterReach: Double = 0.01,
        hunterTriggerMultiple: Double = 3,
        hunterHoldSteps: Int = 5,
        arbitrageEnabled: Bool = true,
        arbitrageLagSteps: Int = 2,
        arbitrageStrength: Double = 0.2,
        deleveragingEnabled: Bool = true,
        deleverageVolatilityMultiple: Double = 3,
        deleverageFraction: Double = 0.5
    ) {
        self.huntersEnabled = huntersEnabled
        self.hunterCapital = hunterCapital
        self.hunterReach = hunterReach
        self.hunterTriggerMultiple = hunterTriggerMultiple
        self.hunterHoldSteps = hunterHoldSteps
        self.arbitrageEnabled = arbitrageEnabled
        self.arbitrageLagSteps = arbitrageLagSteps
        self.arbitrageStrength = arbitrageStrength
        self.deleveragingEnabled = deleveragingEnabled
        self.deleverageVolatilityMultiple = deleverageVolatilityMultiple
        self.deleverageFraction = deleverageFraction
    }

    /// All agents off.
    public static let none = AgentsConfig(huntersEnabled: false, arbitrageEnabled: false, deleveragingEnabled: false)

    /// Checks every field.
    ///
    /// - Throws: ``LabError`` naming the field and value.
    public func validate() throws(LabError) {
        guard hunterCapital >= 0, hunterCapital < 1e10 else {
            throw LabError("agents.hunterCapital \(hunterCapital) must be in [0, 1e10)")
        }
        guard hunterReach >= 0, hunterReach < 1 else {
            throw LabError("agents.hunterReach \(hunterReach) must be in [0, 1)")
        }
        guard hunterTriggerMultiple >= 0 else {
            throw LabError("agents.hunterTriggerMultiple \(hunterTriggerMultiple) must be ≥ 0")
        }
        guard hunterHoldSteps >= 1 else { throw LabError("agents.hunterHoldSteps \(hunterHoldSteps) must be ≥ 1") }
        guard arbitrageLagSteps >= 0 else {
            throw LabError("agents.arbitrageLagSteps \(arbitrageLagSteps) must be ≥ 0")
        }
        guard arbitrageStrength >= 0, arbitrageStrength <= 1 else {
            throw LabError("agents.arbitrageStrength \(arbitrageStrength) must be in [0, 1]")
        }
        guard deleverageVolatilityMultiple >= 0 else {
            throw LabError("agents.deleverageVolatilityMultiple \(deleverageVolatilityMultiple) must be ≥ 0")
        }
        guard deleverageFraction > 0, deleverageFraction <= 1 else {
            throw LabError("agents.deleverageFraction \(deleverageFraction) must be in (0, 1]")
        }
    }
}
