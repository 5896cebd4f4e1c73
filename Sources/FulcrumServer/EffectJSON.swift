import FulcrumCore
import FulcrumEngine

/// Encodes an engine ``Effect`` as one JSON object with its sequences (the stored form and the stream message).
enum EffectJSON {
    /// `{"sequence","eventSequence","kind","account","market","counterparty","size","price","amount",
    /// "insuranceDelta"}`; markets by symbol, money as decimal strings, absent ids as `null`.
    static func encode(_ effect: Effect, sequence: Int64, eventSequence: Int64, symbols: [String]) -> String {
        // Room for a typical trade effect (about 200 bytes): one allocation instead of regrowing.
        var o = JSONObjectText(capacity: 256)
        o.int("sequence", sequence)
        o.int("eventSequence", eventSequence)
        o.string("kind", effect.kind.rawValue)
        o.int("account", effect.account?.raw)
        o.string("market", effect.market.map { $0.index < symbols.count ? symbols[$0.index] : "#\($0.raw)" })
        o.int("counterparty", effect.counterparty?.raw)
        o.decimal("size", effect.size)
        o.decimal("price", effect.price)
        o.decimal("amount", effect.amount)
        o.decimal("insuranceDelta", effect.insuranceDelta)
        return o.json
    }
}
