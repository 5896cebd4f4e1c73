import FulcrumCore
import FulcrumEngine
import Testing

/// `insuranceWithdrawal`: money leaves an insurance fund (a vault-share redemption) and the conservation identity
/// counts it as a withdrawal.
@Suite("Insurance withdrawal")
struct InsuranceWithdrawalTests {
    typealias F = Fixture

    @Test func withdrawalLeavesTheFundAndConservationHolds() throws {
        var engine = try F.engine(deposits: ["1000"])
        try F.step(&engine, .insuranceDeposit(market: nil, amount: F.money("500")))
        let effects = try F.step(&engine, .insuranceWithdrawal(market: nil, amount: F.money("120.5")))
        #expect(engine.insuranceFunds[0] == F.money("379.5"))
        #expect(engine.totalWithdrawals == MoneySum(raw: F.money("120.5").wide))
        #expect(effects.count == 1)
        #expect(effects.first?.kind == .insuranceWithdrawal)
        #expect(effects.first?.insuranceDelta == F.money("-120.5"))
        try F.step(&engine, .insuranceWithdrawal(market: nil, amount: F.money("379.5")))
        #expect(engine.insuranceFunds[0] == .zero)
    }

    @Test func moreThanTheFundIsRefusedAndChangesNothing() throws {
        var engine = try F.engine(deposits: ["1000"])
        try F.step(&engine, .insuranceDeposit(market: nil, amount: F.money("10")))
        F.expectRejected(
            &engine,
            .insuranceWithdrawal(market: nil, amount: F.money("10.00000001")),
            .insufficientMargin,
            mentioning: "exceeds the insurance fund 10"
        )
        F.expectRejected(
            &engine,
            .insuranceWithdrawal(market: nil, amount: F.money("-1")),
            .invalidField,
            mentioning: "amount"
        )
        F.expectRejected(
            &engine,
            .insuranceWithdrawal(market: MarketID(7), amount: F.money("1")),
            .unknownMarket,
            mentioning: "7"
        )
    }
}
