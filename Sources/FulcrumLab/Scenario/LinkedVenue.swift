/// One more venue/market in a multi-venue run: a full scenario of its own (profile and tiers, liquidity, oracle,
/// population, keeper, agents, insurance fund) that shares the main scenario's exogenous price path.
///
/// The shared fields (`startPrice`, `steps`, `stepSeconds`, `priceModel`, `entryHistory`, `feedback`) are taken from
/// the main scenario when the run starts (``Scenario/venueScenarios``), whatever the linked scenario holds.
public struct LinkedVenue: Sendable, Hashable {
    /// The venue's name in reports (unique in the run).
    public var name: String
    /// The venue's scenario.
    public var scenario: Scenario

    /// Creates a linked venue.
    public init(name: String, scenario: Scenario) {
        self.name = name
        self.scenario = scenario
    }
}
