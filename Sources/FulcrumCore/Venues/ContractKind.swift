/// How a contract settles.
public enum ContractKind: String, Sendable, Hashable, CaseIterable {
    /// USDT/USDC-margined: PnL = size × (exit − entry), in quote currency.
    case linear
    /// Coin-margined (BitMEX XBTUSD, Bybit inverse): size in USD contracts, PnL = size × (1/entry − 1/exit), in coin.
    case inverse
}

/// Which side of the book a position is on.
public enum PositionSide: String, Sendable, Hashable, CaseIterable {
    case long
    case short

    /// +1 for long, −1 for short (the "Side" of venue formulas).
    @inlinable public var sign: Int64 { self == .long ? 1 : -1 }
    /// The other side.
    @inlinable public var opposite: PositionSide { self == .long ? .short : .long }
}

/// How a position's margin is held.
public enum MarginMode: String, Sendable, Hashable, CaseIterable {
    /// One wallet backs all cross positions of the account.
    case cross
    /// The position has its own margin and cannot draw on the wallet.
    case isolated
}
