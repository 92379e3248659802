#!/usr/bin/env bash
# The docker-compose topology as plain processes on this machine (no Docker): N workers and the
# API against a local Redis and PostgreSQL. Ctrl-C (or SIGTERM) stops them all cleanly.
#   deploy/run-local.sh [WORKERS=3]   with SECWATCH_CONFIG, REDIS_URL, SECWATCH_DATABASE_URL set
# Defaults: Redis on 127.0.0.1:6379, PostgreSQL postgresql://postgres@127.0.0.1:5432/secwatch.
set -euo pipefail
cd "$(dirname "$0")/.."
workers="${1:-3}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export SECWATCH_DATABASE_URL="${SECWATCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/secwatch}"
export SECWATCH_CONFIG="${SECWATCH_CONFIG:-config/secwatch.yaml}"
[ -f dist/cli/main.js ] || npm run build

pids=()
stop() { kill -TERM "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; }
trap stop INT TERM EXIT

for i in $(seq 1 "$workers"); do
  node bin/secwatch.js worker & pids+=($!)
done
node bin/secwatch.js serve & pids+=($!)
echo "secwatch: ${workers} worker(s) and the API running (pids ${pids[*]}); \`node bin/secwatch.js status\` shows the queues" >&2
wait -n "${pids[@]}"
