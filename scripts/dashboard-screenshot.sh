#!/usr/bin/env bash
# Renders the live dashboard of `fulcrum serve` in headless Chromium (Debian package, installed if missing) and saves
# a screenshot: starts a server, seeds markets, accounts and trades, moves the price so liquidations appear in the
# feed, then captures `/` after the page's JavaScript has loaded the overview and the stream.
#   scripts/dashboard-screenshot.sh [OUT.png]      (default docs/images/dashboard.png)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/serve.sh
out=${1:-docs/images/dashboard.png}

if ! command -v chromium >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium
fi
serve_build
data=$(mktemp -d /tmp/fulcrum-dashboard.XXXXXX)
trap 'serve_stop; rm -rf "$data"' EXIT
serve_start "$data" --public-dashboard
serve_seed 40
# Longs at rising leverage against one deep short, so a drop liquidates them one after another.
serve_post /v1/accounts '{"deposit":"5000000"}'
for ((i = 0; i < 40; i++)); do
    size=$(printf '0.%03d' $((200 + i * 37 % 700)))
    serve_post /v1/fills "{\"market\":\"BTCUSDT\",\"buyer\":$i,\"seller\":40,\"size\":\"$size\",\"price\":\"60000\"}" || true
done
for price in 59000 58000 57000 56000 55000 54000 53000 52000 51000 50000 49000 48000; do
    serve_post /v1/prices "{\"market\":\"BTCUSDT\",\"index\":\"$price\",\"mark\":\"$price\"}"
done
mkdir -p "$(dirname "$out")"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1900 \
    --virtual-time-budget=5000 --screenshot="$out" "$SERVE_URL/" 2>/dev/null
echo "screenshot: $out"
