public import FulcrumCore

/// A market to list: its static description and the venue rules it clears under.
public struct MarketListing: Sendable, Hashable {
    /// Symbol, increments and tier table.
    public var spec: MarketSpec
    /// The venue's clearing rules (margin model, trigger, liquidation procedure, fees, IF scope, ADL, funding).
    public var profile: VenueProfile

    /// Creates a listing.
    public init(spec: MarketSpec, profile: VenueProfile) {
        self.spec = spec
        self.profile = profile
    }
}
