public import FulcrumCore

extension Scenario {
    /// The venue whose rules the scenario clears under (its profile's id; ``VenueID/generic`` for the built-in).
    public var venue: VenueID { profile.id }

    /// The scenario on `venue`'s rules: the venue's shipped profile (``VenueProfile/profile(for:)``: margin model,
    /// trigger, liquidation procedure, fee, insurance-fund scope, ADL, backstop) and its BTC market from
    /// ``MarketCatalog`` (tier table, tick, step). `generic` restores the lab's built-in generic market and profile.
    /// Everything else (price model, liquidity, population parameters) is kept; the population is drawn under the
    /// venue's tiers (its leverage caps).
    ///
    /// - Throws: ``LabError`` naming the field `venue` and the value when the name is unknown or the venue's BTC
    ///   market is not linear (BitMEX's XBTUSD is inverse; the lab models linear contracts).
    /// - Parameters:
    ///   - name: the venue id (`binance`, `bybit`, `okx`, `hyperliquid`, `dydx`, `drift`, `generic`).
    ///   - symbol: the market in the venue's catalog (its own symbol, e.g. `BTCUSDT`, or an asset, e.g. `ETH`);
    ///     `nil` = the venue's BTC market (for `generic`, the lab's generic market).
    public func onVenue(_ name: String, market symbol: String? = nil) throws(LabError) -> Scenario {
        guard let id = VenueID(rawValue: name.lowercased()) else {
            let valid = VenueID.allCases.map(\.rawValue).joined(separator: ", ")
            throw LabError("venue \"\(name)\" is unknown (valid: \(valid))")
        }
        var copy = self
        if id == .generic && symbol == nil {
            copy.profile = Self.genericProfile
            copy.market = try Self.genericMarket()
            return copy
        }
        let market: MarketSpec
        do {
            market = try MarketCatalog.market(venue: id, symbol: symbol ?? "BTC")
        } catch {
            throw LabError("venue \(id.rawValue): \(error)")
        }
        guard market.kind == .linear else {
            throw LabError(
                "venue \(id.rawValue): its \(symbol ?? "BTC") market \(market.symbol) is \(market.kind.rawValue); the "
                    + "lab models linear contracts"
            )
        }
        copy.profile = id == .generic ? Self.genericProfile : VenueProfile.profile(for: id)
        copy.market = market
        return copy
    }
}
