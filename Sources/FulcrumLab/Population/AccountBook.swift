public import FulcrumCore

/// The lab's account population in struct-of-arrays form: 33 bytes per account.
///
/// Each account holds one linear position on the scenario's market. A cross-margin account in a one-market run
/// is an isolated position whose margin is its whole wallet (no other position can draw on it), so both modes
/// share the same fields; ``isCross`` records which one it is for reporting.
public struct AccountBook: Sendable, Hashable {
    /// Position size in base (raw 10⁻⁸), > 0 while open, 0 once closed.
    public var sizes: [Int64]
    /// Entry price (raw 10⁻⁸).
    public var entries: [Int64]
    /// Margin backing the position (isolated margin or cross wallet), raw 10⁻⁸.
    public var margins: [Int64]
    /// Liquidation price under the venue profile (raw 10⁻⁸); 0 for a long that cannot be liquidated.
    public var liquidationPrices: [Int64]
    /// Bit flags: see the `flag…` constants.
    public var flags: [UInt8]

    /// The account is long (else short).
    public static let flagLong: UInt8 = 1
    /// The account uses cross margin.
    public static let flagCross: UInt8 = 2
    /// The account cuts leverage when volatility rises (a deleveraging agent).
    public static let flagDeleverager: UInt8 = 4
    /// The account has been liquidated at least once.
    public static let flagLiquidated: UInt8 = 8
    /// The account has been auto-deleveraged at least once.
    public static let flagDeleveraged: UInt8 = 16
    /// The deleveraging agent has already cut.
    public static let flagHasCut: UInt8 = 32

    /// An empty book with room for `capacity` accounts.
    public init(capacity: Int = 0) {
        sizes = []
        entries = []
        margins = []
        liquidationPrices = []
        flags = []
        sizes.reserveCapacity(capacity)
        entries.reserveCapacity(capacity)
        margins.reserveCapacity(capacity)
        liquidationPrices.reserveCapacity(capacity)
        flags.reserveCapacity(capacity)
    }

    /// Number of accounts.
    public var count: Int { sizes.count }

    /// Appends an account.
    public mutating func append(size: Quantity, entry: Price, margin: Money, liquidationPrice: Price, flags: UInt8) {
        sizes.append(size.raw)
        entries.append(entry.raw)
        margins.append(margin.raw)
        liquidationPrices.append(liquidationPrice.raw)
        self.flags.append(flags)
    }

    /// The side of account `i`.
    @inlinable public func side(_ i: Int) -> PositionSide { flags[i] & Self.flagLong != 0 ? .long : .short }
    /// Whether account `i` uses cross margin.
    @inlinable public func isCross(_ i: Int) -> Bool { flags[i] & Self.flagCross != 0 }
    /// Whether account `i` still has an open position.
    @inlinable public func isOpen(_ i: Int) -> Bool { sizes[i] > 0 }

    /// Bytes of storage per account (the arrays' element sizes).
    public static let bytesPerAccount = 4 * MemoryLayout<Int64>.stride + MemoryLayout<UInt8>.stride
}

extension AccountBook {
    /// The same accounts (sizes, entries, margins, flags) with liquidation prices recomputed under another
    /// profile or market (e.g. a scaled maintenance table), so a comparison changes only the rule.
    public func repriced(profile: VenueProfile, market: MarketSpec) -> AccountBook {
        var copy = self
        for i in 0..<count where sizes[i] > 0 {
            copy.liquidationPrices[i] =
                LiquidationThreshold.price(
                    side: side(i),
                    size: Quantity(raw: sizes[i]),
                    entry: Price(raw: entries[i]),
                    margin: Money(raw: margins[i]),
                    profile: profile,
                    market: market
                )?.raw ?? 0
        }
        return copy
    }
}
