/// Backstop liquidation per venue.
extension VenueProfile {
    /// The venue's backstop-takeover rule, if it has one: ``BackstopTakeover/hyperliquid`` (2/3 of maintenance) for
    /// ``VenueID/hyperliquid``, `nil` otherwise.
    ///
    /// Derived from ``id`` (not a stored field) so existing profiles and initializers are unchanged.
    public var backstopTakeover: BackstopTakeover? { id == .hyperliquid ? .hyperliquid : nil }
}
