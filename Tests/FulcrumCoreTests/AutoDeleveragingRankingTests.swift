import FulcrumCore
import PropertyBased
import Testing

@Suite("ADL ranking")
struct AutoDeleveragingRankingTests {
    static func money(_ text: String) -> Money { try! Money(parsing: text) }

    /// BitMEX's ranking example, https://www.bitmex.com/app/autoDeleveragingExamples ("Example of Auto-Deleveraging
    /// and the Ranking System"): six longs with quantities 10, 10, 20, 30, 20, 10 and PNL rankings 3, 6, 1, 4, 5, 2
    /// are queued 2, 5, 4, 1, 6, 3 with percentiles 20 %, 40 %, 60 %, 80 %, 80 %, 100 %; a liquidated short of 20
    /// closes account 2's 10 contracts and 10 of account 5's 20.
    @Test func bitmexRankingExample() throws {
        let quantities = try [10, 10, 20, 30, 20, 10].map { (units: Int64) throws(ArithmeticError) in
            try Quantity(units: units)
        }
        let scores = try [3, 6, 1, 4, 5, 2].map { (units: Int64) throws(ArithmeticError) in try Rate(units: units) }
        let queue = AutoDeleveragingRanking.queue(scores: scores)
        #expect(queue.map { $0 + 1 } == [2, 5, 4, 1, 6, 3])
        let percentiles = try AutoDeleveragingRanking.percentiles(queue: queue, quantities: quantities)
        // Input order (accounts 1…6): 80 %, 20 %, 100 %, 60 %, 40 %, 80 %.
        #expect(percentiles.map(\.description) == ["0.8", "0.2", "1", "0.6", "0.4", "0.8"])
        let closed = try AutoDeleveragingRanking.allocate(
            size: try Quantity(units: 20),
            queue: queue,
            quantities: quantities
        )
        #expect(closed.map(\.description) == ["0", "10", "0", "0", "10", "0"])
    }

    /// BitMEX/Bybit score on positions worked by hand from the published formula (https://bitmex.com/app/autoDeleveraging):
    /// values are signed, so a short's mark, entry and bankrupt values are negative.
    @Test(
        arguments: [
            // Long 1 @ 50,000, mark 55,000, bankrupt 45,000: PNL% 10 %, leverage 55,000/10,000 = 5.5 → 0.55.
            ("55000", "50000", "45000", "0.55"),
            // Short 1 @ 50,000, mark 45,000, bankrupt 55,000: PNL% 10 %, leverage 45,000/10,000 = 4.5 → 0.45.
            ("-45000", "-50000", "-55000", "0.45"),
            // Long 1 @ 50,000, mark 48,000, bankrupt 45,000: PNL% −4 %, leverage 16 → −0.04 / 16 = −0.0025.
            ("48000", "50000", "45000", "-0.0025"),
        ]
    )
    func bitmexScore(mark: String, entry: String, bankrupt: String, expected: String) throws {
        let score = try AutoDeleveragingRanking.effectiveLeveragePnl(
            markValue: Self.money(mark),
            entryValue: Self.money(entry),
            bankruptValue: Self.money(bankrupt)
        )
        #expect(score.description == expected)
    }

    /// A bankrupt position (mark value at or beyond bankrupt value) is rejected with the values named.
    @Test func bankruptPositionIsRejected() {
        #expect(throws: ArithmeticError.self) {
            _ = try AutoDeleveragingRanking.effectiveLeveragePnl(
                markValue: Self.money("45000"),
                entryValue: Self.money("50000"),
                bankruptValue: Self.money("45000")
            )
        }
    }

    /// Binance LeveragePnL (formula: https://www.binance.com/zh-CN/support/announcement/360033525471, restated with a
    /// worked account at https://dev.binance.vision/t/how-to-caculating-leverage-pnl-quantile/17801 — a user's
    /// calculation, not an official example): uPnL 40.2, wallet 4.27, margin ratio 13.42 % → PnlPercent 9.41 and
    /// LeveragePnL 1.26 (2 decimals). MM = 13.42 % × (4.27 + 40.2) = 5.967874 reproduces that margin ratio.
    @Test func binanceLeveragePnlForumExample() throws {
        let score = try AutoDeleveragingRanking.leveragePnl(
            unrealizedPnl: Self.money("40.2"),
            walletBalance: Self.money("4.27"),
            maintenanceMargin: Self.money("5.967874")
        )
        let value: Double = Double(score.raw) / 1e8
        let exact: Double = 40.2 / 4.27 * 0.1342
        #expect(abs(value - 1.26) < 0.005)
        #expect(abs(value - exact) < 1e-7)
        // A losing account ranks 0; a wallet below 1 is floored at 1 in the denominator.
        let losing = try AutoDeleveragingRanking.leveragePnl(
            unrealizedPnl: Self.money("-3"),
            walletBalance: Self.money("10"),
            maintenanceMargin: Self.money("1")
        )
        #expect(losing == .zero)
        let tiny = try AutoDeleveragingRanking.leveragePnl(
            unrealizedPnl: Self.money("2"),
            walletBalance: Self.money("0.5"),
            maintenanceMargin: Self.money("0.25")
        )
        #expect(tiny.description == "0.2")  // (2 / max(1, 0.5)) × 0.25 / 2.5
    }

    /// The queue is a permutation ordered by score (ties by index) and the allocation closes exactly
    /// min(size, total), never more than a position holds, front of the queue first.
    @Test func queueAndAllocationInvariants() async {
        await propertyCheck(
            input: Gen.int64(in: -5...5).array(of: 1...20),
            Gen.int64(in: 0...50).array(of: 20),
            Gen.int64(in: 0...600)
        ) { scoreUnits, quantityUnits, sizeUnits in
            let scores = scoreUnits.map { Rate(raw: $0) }
            let quantities = scores.indices.map { Quantity(raw: quantityUnits[$0]) }
            let queue = AutoDeleveragingRanking.queue(scores: scores)
            #expect(queue.sorted() == Array(scores.indices))
            for (a, b) in zip(queue, queue.dropFirst()) {
                #expect(scores[a] > scores[b] || (scores[a] == scores[b] && a < b))
            }
            let size = Quantity(raw: sizeUnits)
            let closed = try AutoDeleveragingRanking.allocate(size: size, queue: queue, quantities: quantities)
            let total = quantities.reduce(Quantity.zero, +)
            #expect(closed.reduce(Quantity.zero, +) == Quantity.minimum(size, total))
            var sawPartial = false
            for position in queue {
                #expect(closed[position] <= quantities[position])
                if sawPartial { #expect(closed[position].isZero) }
                if closed[position] < quantities[position] { sawPartial = true }
            }
            let percentiles = try AutoDeleveragingRanking.percentiles(queue: queue, quantities: quantities)
            for (a, b) in zip(queue, queue.dropFirst()) { #expect(percentiles[a] <= percentiles[b]) }
        }
    }
}
