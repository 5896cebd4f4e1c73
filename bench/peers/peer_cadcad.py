"""Workload 4 on cadCAD: N accounts x 1,440 one-minute steps replaying 2025-10-10 with price-impact feedback.

The model is the core of Fulcrum's cascade loop, written the way a cadCAD user would write it: state = traded
price, per-account liquidation prices, sides, sizes and an alive flag. Policy per step: the exogenous log return of
the replayed Binance perp mark moves the traded price; every live account whose liquidation price is crossed is
liquidated; liquidated longs sell and shorts buy their size into a linear book (price moves by net notional /
depth), which feeds the next step. Accounts: entry drawn from the day before the crash, leverage 2..50, maintenance
0.4 %, 50/50 sides (SplitMix64 seed 42). Fulcrum's loop has more on: order book walk, three-source oracle,
agents, keeper throughput, insurance fund, ADL. Only `executor.execute()` is timed; items are account-steps.
"""

import argparse
import math

from cadCAD.configuration import Experiment
from cadCAD.configuration.utils import config_sim
from cadCAD.engine import ExecutionContext, ExecutionMode, Executor

from workloads import SplitMix64, Timer, emit, read_crash_day

parser = argparse.ArgumentParser()
parser.add_argument("--accounts", type=int, default=1_000)
args = parser.parse_args()

day, before = read_crash_day()
returns = [math.log(day[i + 1] / day[i]) for i in range(len(day) - 1)]
rng = SplitMix64(42)
liq, sides, sizes = [], [], []
for _ in range(args.accounts):
    entry = before[rng.below(len(before))]
    leverage = 2 + rng.below(49)
    is_long = rng.below(2) == 0
    size = (1 + rng.below(1_000)) / 1_000
    liq.append(entry * (1 - 1 / leverage + 0.004) if is_long else entry * (1 + 1 / leverage - 0.004))
    sides.append(1 if is_long else -1)
    sizes.append(size)
DEPTH = 50_000_000.0  # USDT of notional that moves the price by 100 %: 0.2 % per 100,000 USDT


def p_liquidate(params, substep, history, state):
    price = state["price"] * math.exp(returns[state["timestep"] % len(returns)]) * state["impact"]
    alive = state["alive"]
    newly = []
    net = 0.0
    for i in range(len(alive)):
        if alive[i] and ((sides[i] > 0 and price <= liq[i]) or (sides[i] < 0 and price >= liq[i])):
            newly.append(i)
            net -= sides[i] * sizes[i] * price  # a long's liquidation sells
    return {"price": price, "liquidated": newly, "net": net}


def s_price(params, substep, history, state, policy):
    return "price", policy["price"]


def s_impact(params, substep, history, state, policy):
    return "impact", max(0.01, 1 + policy["net"] / DEPTH)


def s_alive(params, substep, history, state, policy):
    if not policy["liquidated"]:
        return "alive", state["alive"]
    alive = list(state["alive"])
    for i in policy["liquidated"]:
        alive[i] = False
    return "alive", alive


def s_count(params, substep, history, state, policy):
    return "liquidations", state["liquidations"] + len(policy["liquidated"])


blocks = [{"policies": {"liquidate": p_liquidate},
           "variables": {"price": s_price, "impact": s_impact, "alive": s_alive, "liquidations": s_count}}]
initial = {"price": day[0], "impact": 1.0, "alive": [True] * args.accounts, "liquidations": 0}
experiment = Experiment()
experiment.append_model(initial_state=initial, partial_state_update_blocks=blocks,
                        sim_configs=config_sim({"N": 1, "T": range(len(returns)), "M": {"depth": [DEPTH]}}))
executor = Executor(exec_context=ExecutionContext(ExecutionMode().single_mode), configs=experiment.configs)
with Timer() as t:
    raw, _, _ = executor.execute()
final = raw[-1]
emit("cadCAD", "cascade", args.accounts * len(returns), t.seconds, accounts=args.accounts, steps=len(returns),
     liquidations=final["liquidations"], finalPrice=final["price"])
