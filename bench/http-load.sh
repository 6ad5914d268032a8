#!/usr/bin/env bash
# Whole-system HTTP load on one machine: starts `sleutelbos serve` on the chosen store, preloads
# meters with the Java load generator, then drives each phase with wrk (C, little CPU of its own).
# Prints a Markdown table for docs/PERFORMANCE.md.
#
#   bench/http-load.sh sqlite|postgres [population] [seconds] [connections]
#
# Needs: a built app/target/sleutelbos.jar and bench/target/benchmarks.jar (./mvnw -DskipTests
# package), wrk (Debian package wrk), and for postgres a server on 127.0.0.1:5432 (trust auth).
set -euo pipefail
store="${1:?sqlite or postgres}"
population="${2:-100000}"
seconds="${3:-10}"
connections="${4:-32}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
port=18099
work="$(mktemp -d)"
db="sleutelbos_load_$$"
cleanup() {
  [[ -n "${server:-}" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [[ "$store" == postgres ]] && psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

args=(serve --port "$port" --host 127.0.0.1 --data "$work" --max-body 16777216)
if [[ "$store" == postgres ]]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
  args+=(--store postgres --jdbc-url "jdbc:postgresql://127.0.0.1:5432/$db?user=postgres")
fi
"$java" -Xmx1g ${SERVER_JAVA_OPTS:-} -jar "$here/app/target/sleutelbos.jar" "${args[@]}" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done

tenant="load-$$"
"$java" -cp "$here/bench/target/benchmarks.jar" nl.sleutelbos.bench.LoadGenerator \
  --target "http://127.0.0.1:$port" --credentials "$work/bootstrap-admin.json" --tenant "$tenant" \
  --population "$population" --phases preload | grep -E '^loaded'
# Plan statistics as a server would have them some seconds after a bulk load (autovacuum).
[[ "$store" == postgres ]] && psql -q -h 127.0.0.1 -U postgres -d "$db" -c "ANALYZE" >/dev/null

export WRK_DIR="$here/bench/wrk" TENANT="$tenant-pop" POPULATION="$population" RUN="$$"
# One bearer token for the wrk phases (5 minutes: enough for the default phase lengths).
id="$(sed -nE 's/.*"client_id" : "([^"]+)".*/\1/p' "$work/bootstrap-admin.json")"
secret="$(sed -nE 's/.*"client_secret" : "([^"]+)".*/\1/p' "$work/bootstrap-admin.json")"
TOKEN="$(curl -s -u "$id:$secret" -d grant_type=client_credentials "http://127.0.0.1:$port/sleutelbos/v1/oauth/token" \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"
export TOKEN
run() { # name, script, extra env
  local name="$1" script="$2" per="${3:-1}" conns="${4:-$connections}"
  local line
  line="$(wrk -t2 -c"$conns" -d"${seconds}s" --timeout 30s -s "$here/bench/wrk/$script" "http://127.0.0.1:$port" | grep '^RESULT')"
  read -r _ rps p50 p99 errors <<<"$line"
  printf '| %s | %s | %'"'"'.0f | %'"'"'.0f | %s | %s | %s |\n' "$store" "$name" "$rps" "$(echo "$rps * $per" | bc)" "$p50" "$p99" "$errors"
}
echo
echo "| store | phase | requests/s | entities/s | p50 ms | p99 ms | errors |"
echo "|---|---|---:|---:|---:|---:|---:|"
TENANT="$tenant-w" run "create (1 per request)" create.lua
# Batches carry much work each: a few connections keep the server busy without queueing for seconds.
BATCH=100 TENANT="$tenant-w" run "batch upsert, 100 per request" upsert.lua 100 8
BATCH=1000 TENANT="$tenant-w" run "batch upsert, 1,000 per request" upsert.lua 1000 4
run "GET by id" get.lua
run "type+q query, limit 20" query.lua
