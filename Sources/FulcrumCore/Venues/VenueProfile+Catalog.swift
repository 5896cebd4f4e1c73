/// Lookup of the shipped venue profiles by name.
extension VenueProfile {
    /// The profile for a venue name (`binance`, `bybit`, `okx`, `hyperliquid`, `dydx`, `drift`, `bitmex`,
    /// `generic`), case-insensitive.
    ///
    /// - Throws: ``VenueLookupError`` naming the field `venue`, the value and the valid names.
    public static func named(_ name: String) throws(VenueLookupError) -> VenueProfile {
        guard let id = VenueID(rawValue: name.lowercased()) else {
            throw VenueLookupError(field: "venue", value: name, validNames: VenueID.allCases.map(\.rawValue))
        }
        return profile(for: id)
    }

    /// The shipped profile of a venue.
    public static func profile(for id: VenueID) -> VenueProfile {
        switch id {
        case .binance: binance
        case .bybit: bybit
        case .okx: okx
        case .hyperliquid: hyperliquid
        case .dydx: dydx
        case .drift: drift
        case .bitmex: bitmex
        case .generic: generic()
        }
    }

    /// Builds a rate from an exact decimal literal in the catalog (validated by tests; traps only on a typo in
    /// a compile-time constant, never on user input).
    static func literalRate(_ text: String) -> Rate { try! Rate(parsing: text) }
}
