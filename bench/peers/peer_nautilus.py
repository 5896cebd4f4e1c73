"""Workload 3 on NautilusTrader: BacktestEngine over the year of 1-minute BTCUSDT marks, one 20x long.

525,605 QuoteTicks (bid = ask = the Binance perp mark, rounded to the 0.1 tick) and the 1,095 realised funding
rates as FundingRateUpdate data go through one BacktestEngine (Binance venue, margin account, 20x leverage, 0.05 %
taker fee). The strategy buys 1 BTC at the first quote and holds; on every quote it checks Binance's first-bracket
maintenance (0.4 % of notional) against margin + PnL + funding and closes when below; on every funding update it
books notional x rate (BacktestEngine 1.221 streams funding rates but its simulated venue does not settle them).
Only `engine.run()` is timed (building the ticks is not, as Fulcrum's CSV parsing is not).
"""

import argparse
from decimal import Decimal

import pandas as pd
from nautilus_trader.backtest.engine import BacktestEngine, BacktestEngineConfig
from nautilus_trader.config import LoggingConfig, StrategyConfig
from nautilus_trader.model.currencies import USDT
from nautilus_trader.model.data import FundingRateUpdate, QuoteTick
from nautilus_trader.model.enums import AccountType, OmsType, OrderSide
from nautilus_trader.model.identifiers import Venue
from nautilus_trader.model.objects import Money, Price, Quantity
from nautilus_trader.persistence.wranglers import QuoteTickDataWrangler
from nautilus_trader.test_kit.providers import TestInstrumentProvider
from nautilus_trader.trading.strategy import Strategy

from workloads import Timer, emit, read_year

parser = argparse.ArgumentParser()
parser.add_argument("--samples", type=int, default=0, help="use only the first N samples (0 = all)")
args = parser.parse_args()


class HoldLong(Strategy):
    def __init__(self, instrument):
        super().__init__(StrategyConfig(strategy_id="HOLD-001"))
        self.instrument = instrument
        self.entry = None
        self.size = 1.0
        self.margin = None
        self.funding = 0.0
        self.last = None
        self.liquidated = False

    def on_start(self):
        self.subscribe_quote_ticks(self.instrument.id)
        self.subscribe_funding_rates(self.instrument.id)

    def on_quote_tick(self, tick: QuoteTick):
        price = tick.bid_price.as_double()
        self.last = price
        if self.entry is None:
            self.entry = price
            self.margin = price * self.size / 20
            order = self.order_factory.market(self.instrument.id, OrderSide.BUY, Quantity.from_str("1.000"))
            self.submit_order(order)
            return
        if self.liquidated:
            return
        equity = self.margin + (price - self.entry) * self.size + self.funding
        if equity < price * self.size * 0.004:
            self.liquidated = True
            self.close_all_positions(self.instrument.id)

    def on_funding_rate(self, update: FundingRateUpdate):
        if self.entry is not None and not self.liquidated and self.last is not None:
            self.funding -= self.last * self.size * float(update.rate)  # longs pay a positive rate


ts, px, fts, rates = read_year()
if args.samples:
    ts, px = ts[: args.samples], px[: args.samples]
engine = BacktestEngine(BacktestEngineConfig(logging=LoggingConfig(bypass_logging=True)))
venue = Venue("BINANCE")
engine.add_venue(
    venue=venue,
    oms_type=OmsType.NETTING,
    account_type=AccountType.MARGIN,
    base_currency=USDT,
    starting_balances=[Money(1_000_000, USDT)],
    default_leverage=Decimal(20),
)
instrument = TestInstrumentProvider.btcusdt_perp_binance()
engine.add_instrument(instrument)
rounded = [round(p, 1) for p in px]
frame = pd.DataFrame(
    {"bid_price": rounded, "ask_price": rounded, "bid_size": 1_000.0, "ask_size": 1_000.0},
    index=pd.to_datetime(ts, unit="ms", utc=True),
)
ticks = QuoteTickDataWrangler(instrument).process(frame)
engine.add_data(ticks)
funding = [
    FundingRateUpdate(instrument.id, Decimal(str(r)), t * 1_000_000, t * 1_000_000)
    for t, r in zip(fts, rates)
    if t <= ts[-1]
]
engine.add_data(funding)
strategy = HoldLong(instrument)
engine.add_strategy(strategy)
with Timer() as t:
    engine.run()
emit("nautilus-trader", "backtest-year", len(ticks), t.seconds, fundingEvents=len(funding),
     liquidated=strategy.liquidated, funding=strategy.funding)
engine.dispose()
