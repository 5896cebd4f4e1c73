"""Workload 1 on freqtrade: Binance.dry_run_liquidation_price over the same 1,000,000 isolated positions.

The exchange object is built without network access (freqtrade's own tests patch ccxt the same way): futures,
isolated, backtest run mode, leverage tiers from the `binance_leverage_tiers.json` freqtrade ships. Only the loop of
`dry_run_liquidation_price` calls is timed. Extra output: how many prices differ from Fulcrum's by more than one
tick is checked by the driver when both lists are written (--dump).
"""

import argparse

from freqtrade.enums import MarginMode, RunMode, TradingMode
from freqtrade.exchange import Binance

from workloads import Timer, emit, isolated_positions

parser = argparse.ArgumentParser()
parser.add_argument("--positions", type=int, default=1_000_000)
args = parser.parse_args()

exchange = Binance.__new__(Binance)
exchange._config = {"runmode": RunMode.BACKTEST, "dry_run": True}
exchange.trading_mode = TradingMode.FUTURES
exchange.margin_mode = MarginMode.ISOLATED
exchange._leverage_tiers = {}
exchange.close = lambda: None  # no ccxt session was opened: nothing to close
exchange.fill_leverage_tiers()
pair = "BTC/USDT:USDT"

positions = [
    (not is_long, ticks / 10, steps / 1000, margin / 1e8, leverage)
    for is_long, ticks, steps, leverage, margin in isolated_positions(args.positions)
]
liquidation = exchange.dry_run_liquidation_price
with Timer() as t:
    prices = [
        liquidation(pair, entry, is_short, size, entry * size, leverage, margin, [])
        for is_short, entry, size, margin, leverage in positions
    ]
none = sum(1 for p in prices if p is None or p <= 0)
emit("freqtrade", "liqprice", len(prices), t.seconds, none=none)
