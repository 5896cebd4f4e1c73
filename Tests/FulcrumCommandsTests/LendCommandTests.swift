import ArgumentParser
import Foundation
import FulcrumCommands
import FulcrumIO
import FulcrumLending
import Testing

struct LendCommandTests {
    // lending.md §1.6 with the aave-v3-origin test listing (LT 86%, bonus 5%, fee 10%): 10 WETH at $1,500 against
    // 14,000 USDX ⇒ HF = 15000·0.86/14000 = 0.92142857; HF ≤ 0.95 ⇒ 100% close factor; seize 14000·1.05/1500 WETH.
    static let position = """
        {"collateral": [{"asset": "WETH", "amount": "10", "price": 1500, "ltv": 0.825, "liquidationThreshold": "0.86",
          "liquidationBonus": "0.05"}], "debt": [{"asset": "USDX", "amount": "14000", "price": "1"}],
         "liquidationProtocolFee": "0.1", "note": "example"}
        """

    @Test func healthJsonKeys() throws {
        let out = try LendHealthCommand.evaluate(protocolName: "aave-v3", data: Data(Self.position.utf8), json: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(object["healthFactor"] as? String == "0.92142857")
        #expect(object["maxBorrow"] as? String == "0")
        let prices = try #require(object["liquidationPrices"] as? [String: Any])
        // 14000 / (10 · 0.86) = 1627.906976744… rounded up.
        #expect(prices["WETH"] as? String == "1627.90697675")
        let liq = try #require(object["maxLiquidation"] as? [String: Any])
        #expect(liq["debtToCover"] as? String == "14000")
        #expect(liq["collateralSeized"] as? String != nil)
        // Liquidator: (9.8 − fee) WETH for 14,000: bonus 0.46667 WETH, 10% to the treasury ⇒ ≈ 630 USD.
        let profit = try #require(liq["liquidatorProfit"] as? String)
        #expect(profit.hasPrefix("629.99") || profit == "630")
    }

    @Test(arguments: ["aave-v3.0", "compound-v3", "morpho", "maker"])
    func healthAllProtocols(name: String) throws {
        let out = try LendHealthCommand.evaluate(protocolName: name, data: Data(Self.position.utf8), json: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(object["healthFactor"] as? String == "0.92142857")
        #expect(object["maxLiquidation"] is [String: Any])
    }

    @Test func healthErrorsNameTheField() {
        let bad = #"{"collateral": [{"asset": "WETH", "amount": "ten", "price": 1, "liquidationThreshold": 0.8}]}"#
        #expect {
            try LendHealthCommand.evaluate(protocolName: "aave-v3", data: Data(bad.utf8), json: false)
        } throws: { error in
            "\(error)".contains("collateral[0].amount") && "\(error)".contains("ten")
        }
        #expect(throws: (any Error).self) {
            try LendHealthCommand.evaluate(protocolName: "aave-v9", data: Data(Self.position.utf8), json: false)
        }
    }

    // Replay: the same liquidation through the event stream; a second liquidation after HF recovered is rejected
    // and leaves state unchanged; malformed lines are errors naming the line.
    @Test func replayAaveEvents() throws {
        let events = """
            {"type":"reserve","asset":"USDX","decimals":6,"price":"1","ltv":"0.825","liquidationThreshold":"0.86","liquidationBonus":"0.05","liquidationProtocolFee":"0.1","optimalUsage":"0.45","slope1":"0.04","slope2":"0.6"}
            {"type":"reserve","asset":"WETH","decimals":18,"price":"1800","ltv":"0.825","liquidationThreshold":"0.86","liquidationBonus":"0.05","liquidationProtocolFee":"0.1","optimalUsage":"0.45","slope1":"0.04","slope2":"0.6"}
            {"type":"supply","time":0,"user":"lender","asset":"USDX","amount":"1000000"}
            {"type":"supply","time":0,"user":"alice","asset":"WETH","amount":"1"}
            {"type":"borrow","time":0,"user":"alice","asset":"USDX","amount":"1400"}
            {"type":"price","asset":"WETH","price":"1600"}
            {"type":"liquidate","liquidator":"bob","user":"alice","collateralAsset":"WETH","debtAsset":"USDX","amount":"max"}
            {"type":"liquidate","liquidator":"bob","user":"alice","collateralAsset":"WETH","debtAsset":"USDX","amount":"1"}
            """
        let result = try LendEventFile.replay(events, protocol: .aave(.v37))
        #expect(result.rejected == 1)
        let liq = try #require(result.outcomes.first { $0.effect?.kind == "liquidated" }?.effect)
        #expect(liq.fields.first { $0.key == "collateralToLiquidator" }?.value == "0.914375")
        #expect(liq.fields.first { $0.key == "debtRepaid" }?.value == "1400")
        let text = try LendReplayCommand.render(result, json: true)
        #expect(text.contains("\"effect\":\"final\""))
        #expect(throws: LendFileError.self) {
            try LendEventFile.replay(events + "\n{\"type\":\"explode\"}", protocol: .aave(.v37))
        }
        #expect(throws: LendFileError.self) {
            try LendEventFile.replay(
                "{\"type\":\"supply\",\"user\":\"a\",\"asset\":\"X\",\"amount\":\"1\"}",
                protocol: .aave(.v37)
            )
        }
    }

    // Maker replay of dss src/test/clip.t.sol (takeSetup + test_take_multiple_bids_different_prices).
    @Test func replayMakerAuction() throws {
        let events = """
            {"type":"ilk","ilk":"gold","price":"5","mat":"2","chop":"1.1","dust":"20","hole":"1000","Hole":"1000","buf":"1.25","tail":3600,"cusp":"0.3","calc":"stairstep","cut":"0.99","step":1}
            {"type":"supply","time":604411200,"user":"me","asset":"gold","amount":"40"}
            {"type":"borrow","user":"me","asset":"gold","amount":"100"}
            {"type":"price","asset":"gold","price":"4"}
            {"type":"liquidate","liquidator":"ali","user":"me","collateralAsset":"gold"}
            {"type":"take","auction":1,"amount":"10","maxPrice":"5"}
            {"type":"take","time":604411230,"auction":1,"amount":"30","maxPrice":"4"}
            """
        let result = try LendEventFile.replay(events, protocol: .maker)
        #expect(result.rejected == 0)
        let bark = try #require(result.outcomes.first { $0.effect?.kind == "barked" }?.effect)
        #expect(bark.fields.first { $0.key == "tab" }?.value == "110")
        #expect(bark.fields.first { $0.key == "top" }?.value == "5")
        let last = try #require(result.outcomes.last?.effect)
        #expect(last.fields.first { $0.key == "owe" }?.value == "60")
        #expect(last.fields.first { $0.key == "tabLeft" }?.value == "0")
    }
}
