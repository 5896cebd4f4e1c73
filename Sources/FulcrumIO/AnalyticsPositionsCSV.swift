public import Foundation
public import FulcrumAnalytics
public import FulcrumCore

/// Reads ADL candidates from a positions CSV.
///
/// Two layouts are accepted:
/// - the generic `id,pnl,notional,margin[,maintenance]` (exact decimals; maintenance defaults to the market's tier
///   table at that notional);
/// - the Hyperliquid 2025-10-10 reconstruction, read by ``CSVPositions`` (`user_address,asset,side,position_size,entry_price,mark_price,
///   absolute_pnl,pnl_percent,…`, see `../shared/data/hyperliquid-2025-10-10-positions-conejo/SOURCE.md`). That file
///   has no margin or leverage (its `leverage_ratio` column is empty), so margin = notional ÷ `assumedLeverage`, and
///   notional is `|position_size| × mark_price` for open positions, `absolute_pnl ÷ (pnl_percent/100)` for closed
///   ones that carry a PnL percentage, and otherwise imputed from the median PnL/notional of the others.
public enum AnalyticsPositionsCSV {
    /// The candidates plus how their inputs were obtained.
    public struct Loaded: Sendable {
        /// Winners eligible for ADL.
        public var candidates: [AdlCandidate]
        /// The side the winners are on.
        public var winningSide: PositionSide?
        /// Rows read.
        public var rows: Int
        /// Candidates whose notional came from the open size × mark.
        public var notionalFromSize: Int
        /// Candidates whose notional came from PnL ÷ PnL%.
        public var notionalFromPnlPercent: Int
        /// Candidates whose notional was imputed.
        public var notionalImputed: Int
        /// Liquidated positions per side (Hyperliquid file).
        public var liquidatedLongs: Int
        /// Liquidated shorts.
        public var liquidatedShorts: Int
    }

    /// Loads candidates.
    ///
    /// - Parameters:
    ///   - asset: Hyperliquid layout: the `asset` to keep (BTC, SOL).
    ///   - side: Hyperliquid layout: the winning side; `nil` picks the side opposite the one with more liquidations.
    ///   - assumedLeverage: Hyperliquid layout: leverage used to derive margin from notional.
    ///   - market: the market whose tier table gives maintenance margin.
    /// - Throws: ``MarketDataError`` naming the file, row, column and value.
    public static func load(
        _ url: URL,
        asset: String,
        side: PositionSide?,
        assumedLeverage: Leverage,
        market: MarketSpec
    ) throws(MarketDataError) -> Loaded {
        let table = try AnalyticsCSVTable(url: url)
        let name = table.name
        let header = table.header
        func maintenance(_ notional: Money) throws(MarketDataError) -> Money {
            do { return try market.tiers.maintenanceMargin(forNotional: notional) } catch {
                throw MarketDataError("\(name): maintenance of notional \(notional): \(error)")
            }
        }
        var loaded = Loaded(
            candidates: [],
            winningSide: nil,
            rows: table.lines.count,
            notionalFromSize: 0,
            notionalFromPnlPercent: 0,
            notionalImputed: 0,
            liquidatedLongs: 0,
            liquidatedShorts: 0
        )
        do {
            if header.contains("user_address") {
                let rows: [RecordedPosition]
                do { rows = try CSVPositions.load(path: url.path, asset: asset) } catch {
                    throw MarketDataError(error.description)
                }
                for row in rows where row.wasLiquidated {
                    switch row.side {
                    case .long: loaded.liquidatedLongs += 1
                    case .short: loaded.liquidatedShorts += 1
                    }
                }
                guard !rows.isEmpty else { throw MarketDataError("--asset \"\(asset)\" has no rows in \(name)") }
                let winner = side ?? (loaded.liquidatedLongs >= loaded.liquidatedShorts ? .short : .long)
                loaded.winningSide = winner
                // First pass: winners and the notionals that can be derived.
                var partial: [(id: String, pnl: Money, notional: Money?, source: Int)] = []
                var fractions: [Double] = []
                for row in rows where row.side == winner {
                    let pnl = row.pnl
                    guard pnl.isPositive else { continue }
                    var notional: Money?
                    var source = 2
                    if !row.size.isZero {
                        notional = try row.size.notional(at: row.mark, rounding: .up)  // favours the venue
                        source = 0
                    } else if let percent = row.pnlPercent, percent.isPositive {
                        // notional = pnl ÷ (percent / 100), rounded up (favours the venue: more exposure).
                        let raw = try FixedMath.multiplyDivide(
                            pnl.wide,
                            100 * FixedPointScale.wideFactor,
                            percent.wide,
                            rounding: .up
                        )
                        notional = Money(raw: try FixedMath.narrow(raw, field: "notional"))
                        source = 1
                    }
                    if let notional, notional.isPositive { fractions.append(Double(pnl.raw) / Double(notional.raw)) }
                    partial.append((row.user, pnl, notional, source))
                }
                let medianFraction = fractions.isEmpty ? 0.01 : fractions.sorted()[fractions.count / 2]
                for item in partial {
                    var notional = item.notional ?? .zero
                    var source = item.source
                    if !notional.isPositive {
                        // Imputed (statistics: the median PnL/notional of the rows that have one), rounded down.
                        notional = Money(raw: Int64((Double(item.pnl.raw) / medianFraction).rounded(.down)))
                        source = 2
                    }
                    switch source {
                    case 0: loaded.notionalFromSize += 1
                    case 1: loaded.notionalFromPnlPercent += 1
                    default: loaded.notionalImputed += 1
                    }
                    let margin = Money.maximum(try notional.divided(by: assumedLeverage, rounding: .up), Money(raw: 1))
                    loaded.candidates.append(
                        try AdlCandidate(
                            id: item.id,
                            pnl: item.pnl,
                            notional: notional,
                            margin: margin,
                            maintenance: try maintenance(notional)
                        )
                    )
                }
            } else {
                let iId = try table.column("id")
                let iPnl = try table.column("pnl")
                let iNotional = try table.column("notional")
                let iMargin = try table.column("margin")
                let iMaintenance = header.firstIndex(of: "maintenance")
                for (lineNumber, row) in table.lines {
                    let pnl: Money = try table.number(row, iPnl, "pnl", lineNumber)
                    guard pnl.isPositive else { continue }
                    let notional: Money = try table.number(row, iNotional, "notional", lineNumber)
                    let margin: Money = try table.number(row, iMargin, "margin", lineNumber)
                    let mm: Money =
                        if let iMaintenance { try table.number(row, iMaintenance, "maintenance", lineNumber) } else {
                            try maintenance(notional)
                        }
                    loaded.candidates.append(
                        try AdlCandidate(id: row[iId], pnl: pnl, notional: notional, margin: margin, maintenance: mm)
                    )
                    loaded.notionalFromSize += 1
                }
            }
        } catch let error as MarketDataError {
            throw error
        } catch {
            throw MarketDataError("\(name): \(error)")
        }
        return loaded
    }

    static func fields(_ line: ArraySlice<UInt8>) -> [String] {
        var line = line
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        return line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
    }
}
