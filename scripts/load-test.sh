#!/usr/bin/env bash
# Load test of `fulcrum serve` with the durable SQLite log (issue 6): concurrent clients on loopback post fills and
# oracle updates with wrk (Debian package, installed if missing); prints throughput and latency percentiles, then the
# server's own counters from /metrics. Results are recorded in docs/BENCHMARKS.md.
#   scripts/load-test.sh [--fsync full|normal] [--connections N] [--duration S] [--accounts N] [--threads N] [--batch N]
#                        [--checkpoint-every N]
# --batch N (default 1): each request is POST /v1/batch with N mixed fill/oracle items instead of one write.
# --checkpoint-every N: passed to `fulcrum serve` (default: the server's, two-phase every 3,000 events; 0: SQLite's).
# The binary: FULCRUM=path, or FULCRUM_SCRATCH=.build-x for .build-x/release/fulcrum (default .build).
# --fsync full: SQLite synchronous=FULL, an acknowledged event survives power loss; normal: synchronous=NORMAL in
# WAL mode, it survives a crash of the process (SIGKILL) but not of the OS or the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/serve.sh

fsync=full connections=64 duration=20 accounts=1000 threads=1 batch=1 checkpoint=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --fsync) fsync=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --accounts) accounts=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --checkpoint-every) checkpoint=(--checkpoint-every "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done
if ! [[ $batch =~ ^[0-9]+$ ]] || ((batch < 1 || batch > 256)); then
    echo "--batch must be 1..256 (got $batch)" >&2
    exit 64
fi

if ! command -v wrk >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk
fi
serve_build
data=$(mktemp -d /tmp/fulcrum-load.XXXXXX)
trap 'serve_stop; rm -rf "$data"' EXIT
serve_start "$data" --fsync "$fsync" --rate-limit 10000000 --snapshot-every 100000 "${checkpoint[@]}"
echo "server $SERVE_URL (fsync=$fsync), seeding $accounts accounts"
serve_seed "$accounts"
sequence() { curl -sS "$SERVE_URL/v1/state" -H "Authorization: Bearer $READ_KEY" | sed -n 's/.*"eventSequence":\([0-9]*\).*/\1/p'; }
# Server CPU (utime + stime, clock ticks) and context switches of all its threads, to report per accepted event.
server_cpu() { awk '{ print $14 + $15 }' "/proc/$SERVE_PID/stat"; }
server_switches() { cat /proc/"$SERVE_PID"/task/*/status | awk '/ctxt_switches/ { n += $2 } END { print n }'; }
# The machine's CPU time (all columns of the cpu line) and the part the hypervisor stole (8th value): on a shared VM
# a run with much steal is slower for reasons outside the server.
machine_cpu() { awk '/^cpu / { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9 }' /proc/stat; }
first=$(sequence)
read -r machine_first steal_first < <(machine_cpu)
cpu_first=$(server_cpu) switches_first=$(server_switches)
started=$(date +%s.%N)
OPERATOR_KEY=$OPERATOR_KEY ACCOUNTS=$accounts BATCH=$batch \
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s scripts/load/events.lua "$SERVE_URL"
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
last=$(sequence)
read -r machine_last steal_last < <(machine_cpu)
cpu_last=$(server_cpu) switches_last=$(server_switches)
echo "accepted events: $((last - first)) in ${elapsed} s = $(awk -v n=$((last - first)) -v t="$elapsed" 'BEGIN { printf "%.0f", n / t }') events/s" \
    "(fsync=$fsync, $connections connections, batch $batch, load average $(cut -d' ' -f1-3 /proc/loadavg))"
awk -v t=$((machine_last - machine_first)) -v s=$((steal_last - steal_first)) \
    'BEGIN { if (t > 0) printf "machine: %.1f %% of the CPU time was stolen by the hypervisor during the run\n", 100 * s / t }'
awk -v c=$((cpu_last - cpu_first)) -v s=$((switches_last - switches_first)) -v n=$((last - first)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { if (n > 0) printf "server: %.1f us CPU per accepted event, %.2f context switches per event\n", c * 1e6 / hz / n, s / n }'
curl -sS "$SERVE_URL/v1/state" -H "Authorization: Bearer $READ_KEY"
echo
curl -sS "$SERVE_URL/metrics" | grep -E '^fulcrum_(events_(accepted|rejected)_total|commit_batch_events_(sum|count)|liquidations_total|http_request_duration_seconds_(sum|count)|(commit|checkpoint|writer_checkpoint)_duration_seconds_(bucket|sum|count)|checkpoint_failures_total)' || true
