# Shared by the service scripts (load test, API fuzz, dashboard screenshot). Source it, then:
#   serve_start DATA_DIR [extra serve flags...]   starts `fulcrum serve --port 0`, sets SERVE_PID, SERVE_URL, OPERATOR_KEY
#   serve_seed  ACCOUNTS                           lists BTCUSDT and ETHUSDT, sets prices, funds ACCOUNTS accounts
#   serve_stop
# FULCRUM (path of the binary) defaults to the release build of the scratch path FULCRUM_SCRATCH (default .build),
# built if missing: FULCRUM_SCRATCH=.build-mine scripts/load-test.sh uses .build-mine/release/fulcrum.

FULCRUM_SCRATCH=${FULCRUM_SCRATCH:-.build}
FULCRUM=${FULCRUM:-$FULCRUM_SCRATCH/release/fulcrum}

serve_build() {
    if [[ ! -x $FULCRUM ]]; then
        swift build -c release --scratch-path "$FULCRUM_SCRATCH" --product fulcrum
    fi
}

serve_start() {
    local data=$1
    shift
    mkdir -p "$data"
    OPERATOR_KEY=$("$FULCRUM" keys create --role operator --data "$data")
    READ_KEY=$("$FULCRUM" keys create --role read-only --data "$data")
    local log="$data/serve.log"
    "$FULCRUM" serve --port 0 --data "$data" --venue binance "$@" >"$log" 2>&1 &
    SERVE_PID=$!
    for _ in $(seq 1 300); do
        if grep -q "listening on http://" "$log" 2>/dev/null; then break; fi
        if ! kill -0 "$SERVE_PID" 2>/dev/null; then
            echo "fulcrum serve exited:" >&2
            cat "$log" >&2
            return 1
        fi
        sleep 0.1
    done
    SERVE_URL=$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$log" | head -1)
    if [[ -z $SERVE_URL ]]; then
        echo "fulcrum serve did not report its address" >&2
        return 1
    fi
    export SERVE_URL OPERATOR_KEY READ_KEY SERVE_PID
}

serve_post() {
    local path=$1 body=$2
    curl -sS -f -X POST "$SERVE_URL$path" -H "Authorization: Bearer $OPERATOR_KEY" \
        -H 'Content-Type: application/json' --data "$body" >/dev/null
}

serve_seed() {
    local accounts=$1
    serve_post /v1/markets '{"symbol":"BTCUSDT"}'
    serve_post /v1/markets '{"symbol":"ETHUSDT"}'
    serve_post /v1/prices '{"market":"BTCUSDT","index":"60000","mark":"60000"}'
    serve_post /v1/prices '{"market":"ETHUSDT","index":"3000","mark":"3000"}'
    serve_post /v1/insurance-fund/deposits '{"amount":"250000"}'
    for ((i = 0; i < accounts; i++)); do
        serve_post /v1/accounts "{\"deposit\":\"$((2000 + (i * 7919) % 48000))\"}"
    done
}

serve_stop() {
    if [[ -n ${SERVE_PID:-} ]]; then
        kill -TERM "$SERVE_PID" 2>/dev/null || true
        wait "$SERVE_PID" 2>/dev/null || true
        SERVE_PID=
    fi
}
