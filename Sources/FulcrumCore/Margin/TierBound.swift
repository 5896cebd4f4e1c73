/// What the bounds of a margin-tier table measure.
public enum TierBound: String, Sendable, Hashable {
    /// Position notional in the settlement currency (Binance, Bybit, Hyperliquid, BitMEX, generic): a bracket holds
    /// notionals in `[floor, cap)`, so the bracket of a position moves with the price.
    case notional
    /// Position size in base units (OKX position tiers: `minSz`/`maxSz` in contracts × `ctVal`): a tier holds sizes in
    /// `(previous cap, cap]` — OKX's tier 2 of BTC-USDT-SWAP starts at `minSz` 1000.01 contracts, right above tier 1's
    /// `maxSz` 1000. The tier of a position does not change with the price.
    case baseQuantity
}
