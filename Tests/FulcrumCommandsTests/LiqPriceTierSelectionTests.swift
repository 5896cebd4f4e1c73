import ArgumentParser
import Foundation
import FulcrumCommands
import Testing

/// `fulcrum liq-price` picks the venue's tier for the position: by **size** on OKX (position tiers in contracts ×
/// ctVal; LeandroColombo111/okx-perp-backtest `src/okx_perp_backtest/friction/okx_tiers_snapshot.py` @
/// 57a7fa5ae692136e26ef445345472184277844ee, OKX position-tiers BTC-USDT isolated fetched 2026-09-18), by notional
/// elsewhere.
@Suite("fulcrum liq-price: tier selection")
struct LiqPriceTierSelectionTests {
    static func json(_ arguments: [String]) throws -> [String: Any] {
        let parsed = try LiqPriceCommand.parseAsRoot(arguments + ["--json"])
        let command = try #require(parsed as? LiqPriceCommand)
        let object = try JSONSerialization.jsonObject(with: Data(try command.report().utf8))
        return try #require(object as? [String: Any])
    }

    /// OKX BTC-USDT-SWAP long @ 60,000, 10x, taker 0.05 %: `LP = (E − W/q) / (1 − (mmr + taker))` with W = q·E/10.
    /// 1 BTC: tier 1 (≤ 10 BTC, mmr 0.4 %): 54,000 / 0.9955 = 54,244.098… → 54,244.1.
    /// 20 BTC: tier 2 (10–50 BTC, mmr 0.5 %): 54,000 / 0.9945 = 54,298.642… → 54,298.7.
    /// 500 BTC: tier 5 (400–600 BTC, mmr 1.75 %): 54,000 / 0.982 = 54,989.816… → 54,989.9.
    @Test(arguments: [("1", "54244.1", 1), ("20", "54298.7", 2), ("500", "54989.9", 5)])
    func okxBTCTierBySize(size: String, price: String, tier: Int) throws {
        let object = try Self.json([
            "--venue", "okx", "--market", "BTC-USDT-SWAP", "--side", "long", "--entry", "60000", "--size", size,
            "--leverage", "10",
        ])
        #expect(object["liquidationPrice"] as? String == price)
        #expect(object["tier"] as? Int == tier)
        #expect(object["market"] as? String == "BTC-USDT-SWAP")
    }

    /// OKX ETH-USDT-SWAP: the ETH position-tier table was not found in the stored sources (the catalog keeps the
    /// `NOT RETRIEVED` placeholder: one tier, mmr 0.4 %, 100x), so every size is tier 1. Short 5 ETH @ 3,000, 20x:
    /// W = 750; LP = (3,000 + 150) / (1 + 0.0045) = 3,135.888… → tick 0.01 down: 3,135.88.
    @Test func okxETHUsesItsOnlyTier() throws {
        let object = try Self.json([
            "--venue", "okx", "--market", "ETH-USDT-SWAP", "--side", "short", "--entry", "3000", "--size", "5",
            "--leverage", "20",
        ])
        #expect(object["liquidationPrice"] as? String == "3135.88")
        #expect(object["tier"] as? Int == 1)
    }

    /// Binance BTCUSDT (notional brackets): 20 BTC @ 60,000 = 1.2M notional; the root's notional (≈ 1.15M) lies in
    /// bracket 3 (600k–3M, mmr 0.65 %, cum 950), so `LP = (W + cum − q·E) / (q·mmr − q)` =
    /// (120,000 + 950 − 1,200,000) / (0.13 − 20) = 1,079,050 / 19.87 = 54,305.4856… → tick 0.1 up: 54,305.5.
    @Test func binanceTierByNotionalAtTheRoot() throws {
        let object = try Self.json([
            "--venue", "binance", "--market", "BTCUSDT", "--side", "long", "--entry", "60000", "--size", "20",
            "--leverage", "10",
        ])
        #expect(object["liquidationPrice"] as? String == "54305.5")
        #expect(object["tier"] as? Int == 3)
    }

    /// The size tier's maximum leverage is enforced: 20 BTC on OKX allows 66.66x, not 100x.
    @Test func okxLeverageAboveTheSizeTierIsRefused() throws {
        let parsed = try LiqPriceCommand.parseAsRoot([
            "--venue", "okx", "--market", "BTC-USDT-SWAP", "--side", "long", "--entry", "60000", "--size", "20",
            "--leverage", "100",
        ])
        let command = try #require(parsed as? LiqPriceCommand)
        do {
            _ = try command.report()
            Issue.record("100x on 20 BTC accepted")
        } catch {
            let message = LiqPriceCommand.message(for: error)
            #expect(message.contains("66.66"), "\(message)")
            #expect(LiqPriceCommand.exitCode(for: error).rawValue != 0)
        }
    }
}
