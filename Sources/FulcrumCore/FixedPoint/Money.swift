/// An amount of the settlement currency (USDT/USDC for linear markets, the coin for inverse ones): collateral,
/// PnL, fees, margin.
///
/// Stored as a fixed-point integer with 8 decimals (see ``FixedPointNumber``); money is signed: losses and debits
/// are negative.
@frozen
public struct Money: FixedPointNumber {
    /// The stored integer: the value times 10⁸.
    public var raw: Int64

    /// Creates a value from its stored integer (value · 10⁸).
    @inlinable
    public init(raw: Int64) { self.raw = raw }

    public static var unitName: String { "money" }
}
