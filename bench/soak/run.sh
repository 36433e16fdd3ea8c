#!/usr/bin/env bash
# Soak: a steady mixed load over every module (sales, messaging, field service, profiles with their cache, gist
# watcher reads, token usage) against the packaged jar on the local PostgreSQL server, with WireMock fakes for GitHub
# and Bitbucket. Samples heap, Hikari and threads from Actuator and RSS every SAMPLE seconds into a CSV, then checks:
# zero errors (wrk and the request log), live heap after a full GC at the end within 25 % (+32 MB) of the start,
# no connection left active once the load stops, no pending connection requests at the end, threads back to the
# start (+20). Run from the repository root: bench/soak/run.sh   (about DURATION + 2 minutes)
# Env: DURATION=600 WARMUP=60 CONNECTIONS=10 DELAY_MS=100 SAMPLE=10 PORT=18097 DB=relay_bench_soak OUT=target/bench-soak
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-600}
WARMUP=${WARMUP:-60}
CONNECTIONS=${CONNECTIONS:-10}
DELAY_MS=${DELAY_MS:-100}
SAMPLE=${SAMPLE:-10}
PORT=${PORT:-18097}
GH_PORT=${GH_PORT:-18098}
BB_PORT=${BB_PORT:-18099}
DB=${DB:-relay_bench_soak}
OUT=${OUT:-target/bench-soak}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
JCMD=$(dirname "$JAVA")/jcmd
BASE=http://127.0.0.1:$PORT

command -v wrk >/dev/null && command -v psql >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk postgresql-client >/dev/null; }
[ -f target/relay.jar ] || ./mvnw -q -o -B package -DskipTests -DskipITs
WIREMOCK=$(ls ~/.m2/repository/org/wiremock/wiremock-standalone/*/wiremock-standalone-*.jar 2>/dev/null | tail -1)
[ -n "$WIREMOCK" ] || ./mvnw -q -B dependency:get -Dartifact=org.wiremock:wiremock-standalone:3.13.2
WIREMOCK=$(ls ~/.m2/repository/org/wiremock/wiremock-standalone/*/wiremock-standalone-*.jar | tail -1)
for p in $PORT $GH_PORT $BB_PORT; do
  if ss -ltn | grep -q ":$p "; then echo "port $p is in use" >&2; exit 1; fi
done
rm -rf "$OUT"; mkdir -p "$OUT"
WORK=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" 2>&1 | grep -v NOTICE || true

# Profiles: one developer with 20 repositories on each provider, every fake answer delayed 20 ms.
python3 bench/profiles/make_fakes.py "$WORK" soak 20 20 "$GH_PORT" "$BB_PORT"
for side in github:$GH_PORT bitbucket:$BB_PORT; do
  "$JAVA" -Xmx256m -jar "$WIREMOCK" --port "${side#*:}" --root-dir "$WORK/${side%%:*}" --no-request-journal \
    --disable-banner > "$OUT/${side%%:*}.log" 2>&1 &
  pids+=($!)
done

ADMIN=rly_soak-admin-$(date +%s)-0123456789abcdef
DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" SERVER_PORT=$PORT RELAY_ADMIN_TOKEN=$ADMIN \
GITHUB_API_URL=http://127.0.0.1:$GH_PORT BITBUCKET_API_URL=http://127.0.0.1:$BB_PORT RELAY_DATA_DIR=$WORK/data \
  "$JAVA" -Xmx1g -Drelay.rate-limit.enabled=false -jar target/relay.jar > "$OUT/app.log" 2>&1 &
APP=$!
pids+=($APP)
for _ in $(seq 1 180); do
  kill -0 $APP 2>/dev/null || { echo "Relay did not start; see $OUT/app.log" >&2; exit 1; }
  curl -sf "$BASE/health" >/dev/null && break
  sleep 1
done
for port in $GH_PORT $BB_PORT; do
  for _ in $(seq 1 60); do curl -s "http://127.0.0.1:$port/__admin/mappings" >/dev/null && break; sleep 1; done
done

api() { curl -sf -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}"; }
token() { api "$ADMIN" -X POST "$BASE/api/v1/tokens" -d "{\"username\":\"$1\",\"roles\":[\"$2\"]}" \
  | sed -E 's/.*"token":"([^"]+)".*/\1/'; }
SALES_TOKEN=$(token soak-sales SALES)
AGENT_TOKEN=$(token soak1 AGENT)
EMPLOYEE=$(api "$SALES_TOKEN" -X POST "$BASE/employees" \
  -d '{"name":"Soak Rep","email":"rep@soak.test","role":"SALES_REP"}' | sed -E 's/.*"id":([0-9]+).*/\1/')
THREADS=""
for i in $(seq 1 20); do
  id=$(api "$AGENT_TOKEN" -X POST "$BASE/thread" -d '{"users":["soak1","soak2"]}' | sed -E 's/.*"thread_id":"([^"]+)".*/\1/')
  THREADS=${THREADS:+$THREADS,}$id
done
psql -q -d "$DB" -c "
  INSERT INTO sales_lead (name, contact_email, status, expected_revenue, currency, source, assigned_to, created_at, updated_at)
  SELECT 'seed ' || g, 'seed' || g || '@soak.test',
         (ARRAY['New','Contacted','Qualified','Proposal','Negotiation'])[1 + g % 5], g % 10000, 'USD', 'seed', $EMPLOYEE,
         now(), now()
  FROM generate_series(1, 20000) g;
  ANALYZE sales_lead;"
api "$SALES_TOKEN" -X POST "$BASE/api/v1/github/watched-users" -d '{"login":"soak"}' >/dev/null
export SALES_TOKEN AGENT_TOKEN ADMIN_TOKEN=$ADMIN EMPLOYEE THREADS DELAY_MS

echo "== warm-up ${WARMUP} s, $CONNECTIONS connections, ${DELAY_MS} ms between requests per connection"
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/soak/mix.lua "$BASE" > "$OUT/wrk-warmup.txt"
grep RESULT "$OUT/wrk-warmup.txt"
heap_live() { "$JCMD" "$APP" GC.run >/dev/null; sleep 1
  "$JCMD" "$APP" GC.heap_info | awk '/garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); printf "%.1f", v / 1024 } }'; }
HEAP_START=$(heap_live)
THREADS_START=$(api "$ADMIN" "$BASE/actuator/metrics/jvm.threads.live" | sed -E 's/.*"value":([0-9.]+).*/\1/' | cut -d. -f1)
LOG_FROM=$(wc -l < "$OUT/app.log")
echo "live heap after a full GC before the soak: $HEAP_START MB; live threads $THREADS_START; load $(cut -d' ' -f1-3 /proc/loadavg)"

python3 bench/soak/sample.py "$BASE" "$ADMIN" "$APP" "$OUT/samples.csv" "$SAMPLE" > "$OUT/samples-summary.txt" 2>&1 &
SAMPLER=$!
echo "== soak ${DURATION} s ($(date -u +%H:%M:%S) UTC)"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/soak/mix.lua "$BASE" > "$OUT/wrk-soak.txt"
kill -TERM $SAMPLER; wait $SAMPLER || true
echo "== done ($(date -u +%H:%M:%S) UTC), load $(cut -d' ' -f1-3 /proc/loadavg)"
grep RESULT "$OUT/wrk-soak.txt"
grep -E "50%|90%|99%" "$OUT/wrk-soak.txt" | tr -s ' ' | paste -sd' '
cat "$OUT/samples-summary.txt"
sleep 2
HEAP_END=$(heap_live)
POOL_AFTER=$(api "$ADMIN" "$BASE/actuator/metrics/hikaricp.connections.active" | sed -E 's/.*"value":([0-9.]+).*/\1/' | cut -d. -f1)
PENDING_AFTER=$(api "$ADMIN" "$BASE/actuator/metrics/hikaricp.connections.pending" | sed -E 's/.*"value":([0-9.]+).*/\1/' | cut -d. -f1)
THREADS_END=$(api "$ADMIN" "$BASE/actuator/metrics/jvm.threads.live" | sed -E 's/.*"value":([0-9.]+).*/\1/' | cut -d. -f1)
tail -n +"$((LOG_FROM + 1))" "$OUT/app.log" | grep -oE 'relay\.requests +: [A-Z]+ [^ ]+ [0-9]{3} ' \
  | awk '{print $3, $4, $5}' | sed -E 's#/[0-9a-f-]{36}#/{id}#; s#/[0-9]+( |$)#/{n}\1#' | sort | uniq -c | sort -rn > "$OUT/statuses.txt"
BAD=$(awk '$4 >= 400 { s += $1 } END { print s + 0 }' "$OUT/statuses.txt")
TOTAL=$(awk '{ s += $1 } END { print s + 0 }' "$OUT/statuses.txt")
echo "request log during the soak: $TOTAL requests, $BAD answered 4xx/5xx (by route: $OUT/statuses.txt)"
echo "live heap after a full GC: start $HEAP_START MB, end $HEAP_END MB; threads start $THREADS_START end $THREADS_END;" \
  "after the load: $POOL_AFTER active, $PENDING_AFTER pending connections"
ERRORS=$(grep RESULT "$OUT/wrk-soak.txt" | grep -oE 'errors_[a-z]+=[0-9]+' | cut -d= -f2 | paste -sd+ | bc)
fail=0
[ "$ERRORS" = 0 ] || { echo "FAIL: wrk counted $ERRORS errors"; fail=1; }
[ "$BAD" = 0 ] || { echo "FAIL: $BAD requests answered 4xx/5xx"; fail=1; }
awk -v s="$HEAP_START" -v e="$HEAP_END" 'BEGIN { exit !(e <= s * 1.25 + 32) }' || { echo "FAIL: live heap grew from $HEAP_START to $HEAP_END MB"; fail=1; }
[ "$POOL_AFTER" -le 1 ] || { echo "FAIL: $POOL_AFTER connections still active after the load"; fail=1; }
[ "$PENDING_AFTER" = 0 ] || { echo "FAIL: $PENDING_AFTER connection requests pending after the load"; fail=1; }
[ "$THREADS_END" -le $((THREADS_START + 20)) ] || { echo "FAIL: threads grew from $THREADS_START to $THREADS_END"; fail=1; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
[ $fail = 0 ] && echo "SOAK PASSED" || { echo "SOAK FAILED"; exit 1; }
