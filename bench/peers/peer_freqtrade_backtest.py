"""Workload 3 on freqtrade, what can run offline: the per-candle futures trade evaluation of its backtest loop.

`freqtrade backtesting` itself cannot run offline: it loads the exchange's markets through ccxt from the network
before it reads any candle. What is run instead, on the same 525,605 one-minute marks and 1,095 funding rates:
one LocalTrade (BTC/USDT:USDT, long 1 BTC, 20x, isolated, 0.05 % fees) with its liquidation price from
Binance.get_liquidation_price; per candle, as the backtest loop's exit check does, the liquidation test and
LocalTrade.calc_profit_ratio at the candle's price (every candle is walked, a closed trade is skipped); at the end (or at liquidation) the funding fees through
Exchange.combine_funding_and_mark + calculate_funding_fees, as backtesting settles them. Only that loop is timed.
"""

from datetime import datetime, timezone

import pandas as pd
from freqtrade.enums import MarginMode, RunMode, TradingMode
from freqtrade.exchange import Binance
from freqtrade.persistence import LocalTrade

from workloads import Timer, emit, read_year

ts, px, fts, rates = read_year()
exchange = Binance.__new__(Binance)
exchange._config = {"runmode": RunMode.BACKTEST, "dry_run": True}
exchange.trading_mode = TradingMode.FUTURES
exchange.margin_mode = MarginMode.ISOLATED
exchange.liquidation_buffer = 0.0
exchange._leverage_tiers = {}
exchange.close = lambda: None  # no ccxt session was opened: nothing to close
exchange.fill_leverage_tiers()

pair = "BTC/USDT:USDT"
dates = pd.to_datetime(ts, unit="ms", utc=True)
mark = pd.DataFrame({"date": dates, "open": px})
funding = pd.DataFrame({"date": pd.to_datetime(fts, unit="ms", utc=True).floor("min"), "open": rates})
combined = Binance.combine_funding_and_mark(funding, mark)
entry = px[0]
trade = LocalTrade(
    pair=pair, is_short=False, open_rate=entry, amount=1.0, stake_amount=entry / 20, leverage=20.0,
    fee_open=0.0005, fee_close=0.0005, open_date=dates[0].to_pydatetime(), exchange="binance",
    trading_mode=TradingMode.FUTURES, margin_mode=MarginMode.ISOLATED,
)
trade.set_liquidation_price(exchange.get_liquidation_price(
    pair=pair, open_rate=entry, is_short=False, amount=1.0, stake_amount=entry / 20, leverage=20.0,
    wallet_balance=entry / 20))
liquidation = trade.liquidation_price
with Timer() as t:
    closed_at = len(px) - 1
    is_open = True
    worst = 0.0
    for i in range(1, len(px)):
        if not is_open:
            continue  # the backtest loop still walks every candle; a closed trade costs a test
        rate = px[i]
        ratio = trade.calc_profit_ratio(rate)
        worst = min(worst, ratio)
        if rate <= liquidation:
            closed_at = i
            is_open = False
    close_date = datetime.fromtimestamp(ts[closed_at] / 1000, tz=timezone.utc)
    fees = exchange.calculate_funding_fees(combined, 1.0, False, trade.open_date, close_date)
    trade.set_funding_fees(fees)
emit("freqtrade", "backtest-year", len(px), t.seconds, fundingEvents=len(combined), liquidatedAtSample=closed_at,
     liquidationPrice=liquidation, funding=fees, worstProfitRatio=worst)
