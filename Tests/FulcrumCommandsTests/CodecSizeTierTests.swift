import FulcrumCore
import FulcrumEngine
import FulcrumIO
import Testing

/// A `market` event listing a size-bounded tier table (OKX BTC-USDT-SWAP, `MarketCatalog.okxBTC`) round-trips
/// through the JSON-lines codec with its `sizeTiers`, and a notional table keeps its `tiers` encoding (docs/EVENTS.md).
@Suite("Event codec: size-bounded tiers")
struct CodecSizeTierTests {
    /// Encode, parse and decode the OKX listing; the decoded table equals the catalog's.
    @Test func okxListingRoundTrips() throws {
        let codec = EventCodec()
        let listing = MarketListing(spec: MarketCatalog.okxBTC, profile: .okx)
        let line = codec.encode(.listMarket(listing), symbols: [])
        #expect(line.contains("\"sizeTiers\":[{\"cap\":\"10\",\"maxLeverage\":\"100\",\"mmr\":\"0.004\"}"))
        let bytes = Array(line.utf8)
        let value = try bytes.withUnsafeBufferPointer { buffer in try EventJSONValue.parse(buffer) }
        let event = try codec.decode(value, line: 1, engine: ClearingEngine(configuration: EngineConfiguration()))
        guard case .listMarket(let decoded) = event else { Issue.record("not a listing"); return }
        #expect(decoded.spec.tiers == MarketCatalog.okxBTC.tiers)
        let binance = MarketListing(spec: MarketCatalog.binanceBTCUSDT, profile: .binance)
        let binanceLine = codec.encode(.listMarket(binance), symbols: [])
        #expect(binanceLine.contains("\"tiers\":[{\"floor\":\"0\",\"cap\":\"50000\""))
    }
}
