import FulcrumCore

/// Multi-venue runs: the main venue plus ``Scenario/linkedVenues``, in lockstep on one exogenous path.
extension Scenario {
    /// Most venues in one run (the main one included).
    public static let maximumVenues = 8

    /// Whether the run has more than one venue.
    public var isMultiVenue: Bool { !linkedVenues.isEmpty }

    /// The main venue's name: ``venueName``, else the venue id.
    public var primaryVenueName: String { venueName ?? profile.id.rawValue }

    /// Every venue's name, the main venue first.
    public var venueNames: [String] { [primaryVenueName] + linkedVenues.map(\.name) }

    /// Every venue's scenario, the main one first; a linked venue's shared fields (start price, steps, step length,
    /// price model, entry history, feedback) are the main scenario's, so command-line overrides reach every venue.
    public var venueScenarios: [Scenario] {
        var all = [self]
        all[0].linkedVenues = []
        for venue in linkedVenues {
            var s = venue.scenario
            s.startPrice = startPrice
            s.steps = steps
            s.stepSeconds = stepSeconds
            s.priceModel = priceModel
            s.entryHistory = entryHistory
            s.feedback = feedback
            s.linkedVenues = []
            all.append(s)
        }
        return all
    }

    /// The seed of venue `k` (0: the main venue, which keeps `seed`, so a single-venue run is unchanged): its
    /// population, its engine and its agents draw from it; the exogenous path always comes from `seed`.
    public static func venueSeed(_ k: Int, seed: UInt64) -> UInt64 {
        guard k > 0 else { return seed }
        var mix = SplitMix64(seed: seed ^ (0x5645_4E55_0000_0000 &+ UInt64(k)))  // "VENU" + k: a distinct stream
        return mix.next()
    }

    /// Checks the linked venues: names, count, each venue's own fields (errors prefixed `venues[k].`), the
    /// arbitrage block, and what a multi-venue run does not support (a lending layer runs on the main venue only: its
    /// markets trade on the main venue's liquidity and are priced by its oracle).
    ///
    /// - Throws: ``LabError`` naming the field and the value.
    func validateLinkedVenues() throws(LabError) {
        guard isMultiVenue else { return }
        guard linkedVenues.count + 1 <= Self.maximumVenues else {
            throw LabError(
                "venues has \(linkedVenues.count) entries: at most \(Self.maximumVenues - 1) (plus the main venue)"
            )
        }
        try crossVenueArbitrage.validate()
        var names: Set<String> = [primaryVenueName]
        guard !primaryVenueName.isEmpty else { throw LabError("venueName \"\" must not be empty") }
        for (k, venue) in linkedVenues.enumerated() {
            guard !venue.name.isEmpty else { throw LabError("venues[\(k)].name \"\" must not be empty") }
            guard names.insert(venue.name).inserted else {
                throw LabError("venues[\(k)].name \"\(venue.name)\" is already used (names must be unique)")
            }
        }
        for (k, venue) in venueScenarios.dropFirst().enumerated() {
            do {
                try venue.validate()
            } catch {
                throw LabError("venues[\(k)].\(error.message)")
            }
            if venue.lending != nil { throw LabError("venues[\(k)].lending: a linked venue has no lending layer") }
        }
    }
}
