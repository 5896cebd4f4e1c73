#!/usr/bin/env bash
# Fulcrum's test command (the README's second command; .ci/run runs exactly this).
# Installs what it needs, checks formatting, builds every target with warnings as errors, runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: SQLite headers for GRDB, PostgreSQL for its tests (a no-op where present). Only attempted as root with apt available.
need_apt=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need_apt+=(libsqlite3-dev)
# PostgreSQL server binaries for the PostgreSQL suites (each test starts its own server in a temporary directory).
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_apt+=(postgresql)
if [[ ${#need_apt[@]} -gt 0 ]] && command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
fi

echo "== swift format lint --strict"
swift format lint --strict -r Sources Tests Package.swift

echo "== swift build --build-tests"
swift build --build-tests

echo "== swift test"
swift test --skip-build
