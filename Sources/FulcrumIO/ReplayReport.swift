import Foundation
import FulcrumCore
import FulcrumEngine

/// The final state of a replay in a printable, JSON-encodable form (all numbers as exact decimal strings).
public struct ReplayReport: Codable, Sendable, Hashable {
    /// One position.
    public struct PositionRow: Codable, Sendable, Hashable {
        public var market: String
        public var side: String
        public var size: String
        public var entryPrice: String
        public var mode: String
        public var leverage: String
        public var isolatedMargin: String
        public var unrealizedPnl: String
        /// From `VenueProfile.liquidationQuote` (other cross positions held at their trigger prices);
        /// `"none"` when unreachable, `"n/a"` when the calculator rejects the input.
        public var liquidationPrice: String
    }

    /// One account.
    public struct AccountRow: Codable, Sendable, Hashable {
        public var account: UInt32
        public var wallet: String
        public var crossEquity: String
        public var positions: [PositionRow]
    }

    /// One market.
    public struct MarketRow: Codable, Sendable, Hashable {
        public var symbol: String
        public var venue: String
        public var indexPrice: String
        public var markPrice: String
        public var fundingIndex: String
        public var longOpenInterest: String
        public var shortOpenInterest: String
        public var insuranceFund: String
    }

    /// One effect kind.
    public struct EffectRow: Codable, Sendable, Hashable {
        public var kind: String
        public var count: Int
        public var amount: String
        public var insuranceDelta: String
    }

    public var formatVersion: Int
    public var lines: Int
    public var events: Int
    public var invariantChecks: Int
    public var stateHash: String
    public var hashes: [String]
    public var markets: [MarketRow]
    public var sharedInsuranceFund: String
    public var feePool: String
    public var totalDeposits: String
    public var totalWithdrawals: String
    public var socializedLoss: String
    public var badDebt: String
    public var effects: [EffectRow]
    public var accounts: [AccountRow]

    /// Builds the report of a replay.
    public init(_ outcome: ReplayOutcome) {
        let engine = outcome.engine
        formatVersion = EventCodec.version
        lines = outcome.lines
        events = outcome.events
        invariantChecks = outcome.invariantChecks
        stateHash = Self.hex(engine.stateHash)
        hashes = outcome.hashes.map { "\($0.events)@line\($0.line):\(Self.hex($0.hash))" }
        markets = (0..<engine.marketCount).map { index in
            let id = MarketID(UInt32(index))
            let state = engine.markets[index]
            return MarketRow(
                symbol: engine.specs[index].symbol,
                venue: engine.profiles[index].id.rawValue,
                indexPrice: state.indexPrice.description,
                markPrice: state.markPrice.description,
                fundingIndex: state.fundingIndex.description,
                longOpenInterest: state.longOpenInterest.description,
                shortOpenInterest: state.shortOpenInterest.description,
                insuranceFund: engine.insuranceFunds[engine.insuranceFundIndex(for: id)].description
            )
        }
        sharedInsuranceFund = engine.insuranceFunds[0].description
        feePool = engine.feePool.description
        totalDeposits = engine.totalDeposits.description
        totalWithdrawals = engine.totalWithdrawals.description
        socializedLoss = engine.socializedLoss.description
        badDebt = engine.badDebt.description
        effects = outcome.summary.rows.filter { $0.count > 0 }.map {
            EffectRow(
                kind: $0.kind.rawValue,
                count: $0.count,
                amount: $0.amount.description,
                insuranceDelta: $0.insuranceDelta.description
            )
        }
        accounts = (0..<engine.accountCount).map { Self.accountRow(engine, AccountID(UInt32($0))) }
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func accountRow(_ engine: ClearingEngine, _ account: AccountID) -> AccountRow {
        var rows: [PositionRow] = []
        var others: [CrossPosition] = []
        for index in 0..<engine.marketCount {
            let market = MarketID(UInt32(index))
            let position = engine.position(account, market)
            guard position.isOpen, position.mode == .cross, let entry = engine.entryPrice(of: account, in: market)
            else { continue }
            others.append(
                CrossPosition(
                    market: engine.specs[index],
                    entryPrice: entry,
                    size: position.size,
                    markPrice: engine.triggerPrice(market)
                )
            )
        }
        for index in 0..<engine.marketCount {
            let market = MarketID(UInt32(index))
            let position = engine.position(account, market)
            guard position.isOpen, let entry = engine.entryPrice(of: account, in: market) else { continue }
            let pnl = try? engine.unrealizedPnl(of: account, in: market)
            let margin = position.mode == .cross ? engine.balances[account.index] : position.isolatedMargin
            let input = LiquidationPriceInput(
                side: position.size.isPositive ? .long : .short,
                entryPrice: entry,
                size: position.size.magnitude,
                margin: .wallet(Money.maximum(margin, .zero)),
                mode: position.mode,
                otherPositions: position.mode == .cross
                    ? others.filter { $0.market.symbol != engine.specs[index].symbol } : []
            )
            let liquidation: String
            if let quote = try? engine.profiles[index].liquidationQuote(input, market: engine.specs[index]) {
                liquidation = quote.liquidationPrice?.description ?? "none"
            } else {
                liquidation = "n/a"
            }
            rows.append(
                PositionRow(
                    market: engine.specs[index].symbol,
                    side: position.size.isPositive ? "long" : "short",
                    size: position.size.magnitude.description,
                    entryPrice: entry.description,
                    mode: position.mode.rawValue,
                    leverage: position.leverage.description,
                    isolatedMargin: position.isolatedMargin.description,
                    unrealizedPnl: pnl?.description ?? "overflow",
                    liquidationPrice: liquidation
                )
            )
        }
        let equity = (try? engine.crossMargin(of: account).equity).map { MoneySum(raw: $0).description } ?? "n/a"
        return AccountRow(
            account: account.raw,
            wallet: engine.balances[account.index].description,
            crossEquity: equity,
            positions: rows
        )
    }

    /// The report as one JSON object (keys sorted).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A human-readable rendering; at most `accountLimit` accounts are listed (all when `nil`).
    public func text(accountLimit: Int? = 50) -> String {
        var out: [String] = []
        out.append("events \(events) (lines \(lines)); invariant checks \(invariantChecks)")
        out.append("state hash \(stateHash)")
        for hash in hashes { out.append("  hash \(hash)") }
        for market in markets {
            out.append(
                "market \(market.symbol) [\(market.venue)] index \(market.indexPrice) mark \(market.markPrice) "
                    + "funding index \(market.fundingIndex) OI long \(market.longOpenInterest) short \(market.shortOpenInterest) "
                    + "insurance fund \(market.insuranceFund)"
            )
        }
        out.append(
            "shared insurance fund \(sharedInsuranceFund); fee pool \(feePool); deposits \(totalDeposits); "
                + "withdrawals \(totalWithdrawals); socialized \(socializedLoss); bad debt \(badDebt)"
        )
        out.append("effects:")
        for row in effects {
            out.append("  \(row.kind): \(row.count) (amount \(row.amount), insurance Δ \(row.insuranceDelta))")
        }
        let shown = accountLimit.map { Array(accounts.prefix($0)) } ?? accounts
        out.append("accounts (\(shown.count) of \(accounts.count)):")
        for account in shown {
            out.append("  #\(account.account) wallet \(account.wallet) cross equity \(account.crossEquity)")
            for p in account.positions {
                out.append(
                    "    \(p.market) \(p.side) \(p.size) @ \(p.entryPrice) \(p.mode) \(p.leverage)x "
                        + "uPnL \(p.unrealizedPnl) liq \(p.liquidationPrice)"
                        + (p.mode == "isolated" ? " margin \(p.isolatedMargin)" : "")
                )
            }
        }
        return out.joined(separator: "\n")
    }
}
