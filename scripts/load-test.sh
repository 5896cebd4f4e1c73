#!/usr/bin/env bash
# Load test of `fulcrum serve` with the durable SQLite log (issue 6): concurrent clients on loopback post fills and
# oracle updates with wrk (Debian package, installed if missing); prints throughput and latency percentiles, then the
# server's own counters from /metrics. Results are recorded in docs/BENCHMARKS.md.
#   scripts/load-test.sh [--fsync full|normal] [--connections N] [--duration S] [--accounts N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/serve.sh

fsync=full connections=64 duration=20 accounts=1000 threads=1
while [[ $# -gt 0 ]]; do
    case $1 in
    --fsync) fsync=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --accounts) accounts=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done

if ! command -v wrk >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk
fi
serve_build
data=$(mktemp -d /tmp/fulcrum-load.XXXXXX)
trap 'serve_stop; rm -rf "$data"' EXIT
serve_start "$data" --fsync "$fsync" --rate-limit 10000000 --snapshot-every 100000
echo "server $SERVE_URL (fsync=$fsync), seeding $accounts accounts"
serve_seed "$accounts"
before=$(curl -sS "$SERVE_URL/v1/state" -H "Authorization: Bearer $READ_KEY")
echo "state before: $before"
OPERATOR_KEY=$OPERATOR_KEY ACCOUNTS=$accounts \
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s scripts/load/events.lua "$SERVE_URL"
after=$(curl -sS "$SERVE_URL/v1/state" -H "Authorization: Bearer $READ_KEY")
echo "state after: $after"
curl -sS "$SERVE_URL/metrics" | grep -E '^fulcrum_(events_(accepted|rejected)_total|commit_batch_events_(sum|count)|liquidations_total|http_request_duration_seconds_(sum|count))' || true
