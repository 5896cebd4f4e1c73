#!/usr/bin/env bash
# Side-by-side run of Fulcrum and its peers on the same workloads (issue 7). Prints one table of ratios.
#
#   bench/peers/run.sh            # full sizes (takes several minutes; builds fulcrum in release first)
#   QUICK=1 bench/peers/run.sh    # smaller peer sizes for a smoke run
#
# Environment: FULCRUM_DATA (default ../shared/data beside the repository), FULCRUM_SCRATCH (swift build scratch
# path, default .build-release), SKIP_BUILD=1 to reuse an existing release binary, PYTHON (default python3).
# Results land in bench/peers/results/ (git-ignored); the virtual environments in bench/peers/.venvs (git-ignored).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export FULCRUM_DATA=${FULCRUM_DATA:-$(cd "$root/.." && pwd)/shared/data}
scratch=${FULCRUM_SCRATCH:-.build-release}
results=$here/results
mkdir -p "$results"
: >"$results/peers.jsonl"
: >"$results/install.txt"

# 1. Peers from PyPI, each into its own virtual environment under bench/peers/.venvs/ (their pins conflict: cadCAD
#    and driftpy hold numpy < 2, NautilusTrader's pyarrow needs numpy >= 2). A failed install is recorded, not fatal.
while read -r requirement; do
    case "$requirement" in "" | \#*) continue ;; esac
    name=${requirement%%=*}
    venv=$here/.venvs/$name
    if [ ! -x "$venv/bin/python" ]; then "${PYTHON:-python3}" -m venv "$venv"; fi
    if "$venv/bin/python" -m pip install -q "$requirement" >"$results/pip-$name.log" 2>&1; then
        echo "installed $requirement" | tee -a "$results/install.txt"
    else
        echo "FAILED    $requirement (see results/pip-$name.log)" | tee -a "$results/install.txt"
    fi
    "$venv/bin/python" -m pip freeze >"$results/pip-freeze-$name.txt" 2>/dev/null
done <"$here/requirements.txt"

# 2. Fulcrum in release, and the machine's memory bandwidth.
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    (cd "$root" && swift build -c release --scratch-path "$scratch" --product fulcrum 2>&1 | tail -1)
fi
fulcrum=$root/$scratch/release/fulcrum
cc -O2 -march=native -pthread "$root/bench/membw.c" -o "$results/membw" && "$results/membw" "$(nproc)" >"$results/membw.json"
# Best of 20 timed runs: one liqprice run is ~16 ms, so three runs still catch page faults and a cold cache, while
# each peer's single run lasts seconds (its loop amortizes them).
(cd "$root" && "$fulcrum" bench --json --runs 20) >"$results/fulcrum.json" || echo "fulcrum bench failed" >&2

# 3. The peers, each timing its own work and printing one JSON line.
quick=${QUICK:-0}
run_peer() {
    local name=$1 venv=$here/.venvs/$2
    shift 2
    echo "running $name: $*" >&2
    if (cd "$here" && "$venv/bin/python" "$@") >>"$results/peers.jsonl" 2>"$results/$name.err"; then :; else
        echo "{\"peer\": \"$name\", \"failed\": true, \"error\": \"see results/$name.err\"}" >>"$results/peers.jsonl"
    fi
}
if [ "$quick" = 1 ]; then
    run_peer freqtrade freqtrade peer_freqtrade.py --positions 100000
    run_peer driftpy driftpy peer_driftpy.py --accounts 10000
    run_peer nautilus nautilus_trader peer_nautilus.py --samples 50000
    run_peer freqtrade-backtest freqtrade peer_freqtrade_backtest.py
    run_peer cadcad cadCAD peer_cadcad.py --accounts 200
else
    run_peer freqtrade freqtrade peer_freqtrade.py --positions 1000000
    run_peer driftpy driftpy peer_driftpy.py --accounts 100000
    run_peer nautilus nautilus_trader peer_nautilus.py
    run_peer freqtrade-backtest freqtrade peer_freqtrade_backtest.py
    run_peer cadcad cadCAD peer_cadcad.py --accounts 1000
fi

# 4. One table: Fulcrum ÷ peer, per item, from this run.
"${PYTHON:-python3}" "$here/report.py" "$results"
