#!/usr/bin/env bash
# Fuzzes the `fulcrum serve` API from its own OpenAPI document with schemathesis (PyPI, installed into a git-ignored
# virtual environment): every operation, positive and negative examples, all checks (no 5xx, responses conform to
# the schema, status codes documented, negative data rejected). After the run the server must still be healthy and
# its invariants must hold. Results are recorded in docs/SERVER.md.
#   scripts/api-fuzz.sh [--max-examples N] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/serve.sh

examples=40 seed=1
while [[ $# -gt 0 ]]; do
    case $1 in
    --max-examples) examples=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done

venv=scripts/.venv-fuzz
if [[ ! -x $venv/bin/schemathesis ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'schemathesis>=4,<5'
fi
serve_build
data=$(mktemp -d /tmp/fulcrum-fuzz.XXXXXX)
trap 'serve_stop; rm -rf "$data"' EXIT
serve_start "$data" --rate-limit 10000000
serve_seed 8
echo "fuzzing $SERVE_URL ($("$venv/bin/schemathesis" --version))"
status=0
"$venv/bin/schemathesis" --config-file scripts/schemathesis.toml run "$SERVE_URL/openapi.json" \
    --header "Authorization: Bearer $OPERATOR_KEY" \
    --checks all --max-examples "$examples" --seed "$seed" --workers 2 \
    --report junit --report-dir "$data/report" || status=$?
echo "== after the fuzz run"
curl -sS -f "$SERVE_URL/healthz" && echo
state=$(curl -sS -f "$SERVE_URL/v1/state" -H "Authorization: Bearer $OPERATOR_KEY")
echo "$state"
if ! kill -0 "$SERVE_PID" 2>/dev/null; then
    echo "the server died during the fuzz run" >&2
    exit 1
fi
if ! python3 -c 'import json, sys; sys.exit(0 if json.load(sys.stdin)["invariants"]["ok"] else 1)' <<<"$state"; then
    echo "invariants do not hold after the fuzz run" >&2
    status=1
fi
exit $status
