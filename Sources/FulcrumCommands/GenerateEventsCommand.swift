public import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumEngine
import FulcrumIO

/// `fulcrum generate-events`: write a seeded random event stream (JSON lines) for replay and invariant checks.
public struct GenerateEventsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "generate-events",
        abstract: "Write a seeded random event stream (JSON lines) for replay and invariant checks.",
        discussion: """
            Candidates (trades near the mark, price walks with jumps, funding, sweeps, deposits, withdrawals, \
            leverage and margin-mode changes) are applied to an engine as they are drawn; only accepted events are \
            written, so the stream replays without rejections. Account 0 is the backstop vault.
            """
    )

    @Option(help: "Number of events to write (excluding the header).")
    public var count: Int

    @Option(help: "Random seed.")
    public var seed: UInt64 = 1

    @Option(help: "Number of accounts, including the backstop (account 0).")
    public var accounts: Int = 100

    @Option(help: "Venue whose rules and BTC/ETH linear markets are used.")
    public var venue = "generic"

    @Option(help: "Output file.")
    public var out: String

    public init() {}

    public func validate() throws {
        guard count > 0 else { throw ValidationError("--count \(count) must be positive") }
        guard accounts >= 2 && accounts <= 1_000_000 else {
            throw ValidationError("--accounts \(accounts) must be between 2 and 1,000,000")
        }
        do { _ = try VenueProfile.named(venue) } catch { throw ValidationError(error.description) }
    }

    /// The listings and starting prices used for a venue: its first two linear markets of BTC and ETH.
    static func listings(venue: String) throws -> ([MarketListing], [Price]) {
        let profile = try VenueProfile.named(venue)
        var listings: [MarketListing] = []
        var prices: [Price] = []
        for asset in ["BTC", "ETH"] {
            guard let symbol = MarketCatalog.defaultSymbol(venue: profile.id, asset: asset),
                let spec = try? MarketCatalog.market(venue: profile.id, symbol: symbol), spec.kind == .linear
            else { continue }
            let start = try Price(units: asset == "BTC" ? 60_000 : 3_000)
            listings.append(MarketListing(spec: spec, profile: profile))
            prices.append(try start.rounded(toMultipleOf: spec.tickSize, rounding: .down))
        }
        guard !listings.isEmpty else { throw ValidationError("venue \(venue) has no linear BTC/ETH market") }
        return (listings, prices)
    }

    /// Writes the stream; returns (events written, candidates rejected).
    public func generate() throws -> (written: Int, rejected: Int) {
        let (listings, prices) = try Self.listings(venue: venue)
        var generator = EventGenerator(
            seed: seed,
            accounts: accounts,
            listings: listings,
            initialPrices: prices,
            deposit: try Money(units: 1_000)
        )
        var engine = ClearingEngine(configuration: EngineConfiguration(seed: seed))
        let codec = EventCodec(defaultVenue: venue)
        let writer = try EventFileWriter(url: URL(fileURLWithPath: out))
        try writer.write(line: EventCodec.header(venue: venue, seed: seed))
        var written = 0
        var rejected = 0
        var effects: [Effect] = []
        var symbols: [String] = []
        while written < count {
            let event = generator.next()
            effects.removeAll(keepingCapacity: true)
            do throws(EngineError) {
                try engine.apply(event, effects: &effects)
            } catch {
                rejected += 1
                guard rejected <= count * 20 + 1_000 else {
                    throw ValidationError("too many rejected candidates (\(rejected)); last: \(error)")
                }
                continue
            }
            if case .listMarket(let listing) = event { symbols.append(listing.spec.symbol) }
            try writer.write(line: codec.encode(event, symbols: symbols))
            written += 1
        }
        try writer.close()
        return (written, rejected)
    }

    public func run() throws {
        let (written, rejected) = try generate()
        print("wrote \(written) events to \(out) (\(rejected) rejected candidates skipped)")
    }
}
