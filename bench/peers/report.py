"""Prints Fulcrum ÷ peer ratios (items per second, so runs of different sizes compare per item) from one run."""

import json
import os
import sys

results = sys.argv[1]
with open(os.path.join(results, "fulcrum.json")) as f:
    fulcrum = {w["name"]: w for w in json.load(f)["workloads"]}
peers = []
with open(os.path.join(results, "peers.jsonl")) as f:
    for line in f:
        line = line.strip()
        if line.startswith("{"):
            peers.append(json.loads(line))
membw = {}
path = os.path.join(results, "membw.json")
if os.path.exists(path):
    with open(path) as f:
        membw = json.load(f)

targets = {("liqprice", "freqtrade"): 100, ("cross-check", "driftpy"): 1000,
           ("backtest-year", "nautilus-trader"): 100, ("cascade", "cadCAD"): 50}
print(f"{'workload':<14} {'peer':<20} {'peer items':>10} {'peer items/s':>14} {'fulcrum items/s':>16} "
      f"{'ratio':>10} {'target':>7}")
for peer in peers:
    if peer.get("failed"):
        print(f"{'-':<14} {peer['peer']:<20} FAILED ({peer.get('error')})")
        continue
    mine = fulcrum.get(peer["name"])
    if mine is None:
        print(f"{peer['name']:<14} {peer['peer']:<20} (no Fulcrum measurement)")
        continue
    ratio = mine["itemsPerSecond"] / peer["itemsPerSecond"] if peer["itemsPerSecond"] > 0 else float("inf")
    target = targets.get((peer["name"], peer["peer"]))
    verdict = "" if target is None else (f">={target} met" if ratio >= target else f">={target} NOT met")
    print(f"{peer['name']:<14} {peer['peer']:<20} {peer['items']:>10} {peer['itemsPerSecond']:>14.4g} "
          f"{mine['itemsPerSecond']:>16.4g} {ratio:>10.1f} {verdict}")
print()
for name, mine in fulcrum.items():
    print(f"fulcrum {name:<14} {mine['items']:>10} items in {mine['seconds']:.6f} s = {mine['itemsPerSecond']:.4g}/s, "
          f"{mine['nsPerItem']:.3f} ns/item, {mine['bytesPerItem']} bytes/item; {mine['detail']}")
if membw:
    one = membw["readBytesPerSecond1"]
    many = membw["readBytesPerSecondN"]
    print(f"\nmemory read bandwidth: {one / 1e9:.2f} GB/s on 1 thread, {many / 1e9:.2f} GB/s on {membw['threads']}")
    for name in ("liqprice", "cross-check"):
        mine = fulcrum.get(name)
        if mine:
            limit = one / mine["bytesPerItem"]
            print(f"  {name}: bandwidth limit {limit:.4g} items/s on 1 thread ({mine['bytesPerItem']} B/item); "
                  f"Fulcrum reaches {100 * mine['itemsPerSecond'] / limit:.1f} % of it")
