import FulcrumCore
import Testing

@testable import FulcrumEngine

/// The invariant checker must be able to fail: corrupt one field at a time and expect a violation.
@Suite("Invariant checker")
struct InvariantTests {
    typealias F = Fixture

    static func engine() throws -> ClearingEngine {
        var engine = try F.engine(deposits: ["100000", "1000", "1000"])
        try F.step(&engine, F.trade(1, 2, "10", "100"))
        return engine
    }

    static func expectViolation(
        _ engine: ClearingEngine,
        mentioning text: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            try engine.checkInvariants()
            Issue.record("expected an invariant violation", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == .invariantViolated, sourceLocation: sourceLocation)
            #expect(error.message.contains(text), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    @Test func detectsEachBrokenInvariant() throws {
        var money = try Self.engine()
        money.balances[1] += Money(raw: 1)  // one unit created from nothing
        Self.expectViolation(money, mentioning: "conservation")

        var openInterest = try Self.engine()
        openInterest.markets[0].longOpenInterest += F.qty("0.001")
        Self.expectViolation(openInterest, mentioning: "open interest")

        var fund = try Self.engine()
        fund.insuranceFunds[0] = Money(raw: -1)
        fund.feePool = Money(raw: 1)
        Self.expectViolation(fund, mentioning: "insurance fund")

        var negative = try Self.engine()
        negative.markets[0].markPrice = F.price("300")  // the short is underwater (−1,000), and no sweep is pending
        negative.sweepPending = false
        Self.expectViolation(negative, mentioning: "negative cross equity")
        negative.sweepPending = true
        #expect(throws: Never.self) { try negative.checkInvariants() }
    }
}
