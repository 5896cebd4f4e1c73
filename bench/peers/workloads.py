"""Inputs shared by every peer script: the same random positions as `fulcrum bench`, the same data files.

The generator is SplitMix64 (Steele, Lea, Flood 2014) with `below(n) = (next() * n) >> 64`, bit-identical to
`FulcrumEngine.SplitMixRandom`; the draw order is the one documented in `BenchWorkload+Liquidation.swift` and
`BenchWorkload+CrossCheck.swift`, so both sides solve the very same positions.
"""

import gzip
import json
import os
import sys
import time

MASK = (1 << 64) - 1
SEED = 42


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, bound):
        return (self.next() * bound) >> 64


def isolated_positions(count, seed=SEED):
    """(is_long, entry_ticks, size_steps, leverage, margin_raw) per position; entry = ticks * 0.1 USDT,
    size = steps * 0.001 BTC, margin in 1e-8 USDT (notional // leverage), as Fulcrum draws them."""
    rng = SplitMix64(seed)
    out = []
    for _ in range(count):
        is_long = rng.below(2) == 0
        ticks = 200_000 + rng.below(1_000_000)
        steps = 1 + rng.below(5_000)
        leverage = 1 + rng.below(125)
        notional_raw = ticks * steps * 10_000
        out.append((is_long, ticks, steps, leverage, notional_raw // leverage))
    return out


CROSS_MARKETS = [  # (name, price before, price after the shock, size limit in 0.001 steps)
    ("BTC", 100_000, 93_000, 100),
    ("ETH", 4_000, 3_640, 2_000),
    ("BTC-HL", 100_000, 93_000, 100),
]


def cross_accounts(count, seed=SEED):
    """Per account: ([(is_long, steps)] per market, wallet_raw), drawn as `BenchWorkload.crossEngine` draws them."""
    rng = SplitMix64(seed)
    out = []
    for _ in range(count):
        legs = []
        notional = 0
        for _, before, _, limit in CROSS_MARKETS:
            is_long = rng.below(2) == 0
            steps = 1 + rng.below(limit)
            notional += steps * before * 100_000_000 // 1_000
            legs.append((is_long, steps))
        leverage = 2 + rng.below(15)
        out.append((legs, notional // leverage))
    return out


def data_dir():
    """FULCRUM_DATA, else ../shared/data relative to the repository root (bench/peers/../../..)."""
    env = os.environ.get("FULCRUM_DATA")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "data"))


def data_file(relative):
    path = os.path.join(data_dir(), relative)
    if not os.path.exists(path):
        sys.exit(f"data file {path} is absent (set FULCRUM_DATA)")
    return path


YEAR_PRICES = "binance-btcusdt-perp-1m-klp61/btcusdt_1m_mark_index_mid_spot_2025-05-09_2026-05-09.csv.gz"
YEAR_FUNDING = "binance-btcusdt-perp-1m-klp61/btcusdt_funding_8h_2025-05-10_2026-05-09.csv"
CRASH_SLICE = "binance-btcusdt-perp-1m-klp61/btcusdt_1m_mark_index_mid_spot_2025-10-09_2025-10-12_crash.csv"


def read_year():
    """([timestamp_ms], [perp_mark float]) of the year and ([funding_time_ms], [rate]) of the funding file."""
    ts, px = [], []
    with gzip.open(data_file(YEAR_PRICES), "rt") as f:
        header = f.readline().strip().split(",")
        ti, pi = header.index("timestamp_ms"), header.index("perp_mark")
        for line in f:
            cols = line.split(",")
            ts.append(int(cols[ti]))
            px.append(float(cols[pi]))
    fts, rates = [], []
    with open(data_file(YEAR_FUNDING)) as f:
        header = f.readline().strip().split(",")
        ti, ri = header.index("funding_time_ms"), header.index("funding_rate")
        for line in f:
            cols = line.strip().split(",")
            fts.append(int(cols[ti]))
            rates.append(float(cols[ri]))
    return ts, px, fts, rates


def read_crash_day():
    """The 1,441 perp marks from 2025-10-10 00:00 UTC (row 1,440 of the slice) on, and the 1,441 before."""
    marks = []
    with open(data_file(CRASH_SLICE)) as f:
        header = f.readline().strip().split(",")
        pi = header.index("perp_mark")
        for line in f:
            marks.append(float(line.split(",")[pi]))
    return marks[1440:2881], marks[: 1441]


def emit(peer, workload, items, seconds, **extra):
    """Print one JSON line: the driver reads these."""
    record = {"peer": peer, "name": workload, "items": items, "seconds": seconds,
              "itemsPerSecond": items / seconds if seconds > 0 else 0}
    record.update(extra)
    print(json.dumps(record), flush=True)


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *args):
        self.seconds = time.perf_counter() - self.start
