#!/usr/bin/env bash
# Sales benchmark: create-lead and list-leads through HTTP (wrk) against pgbench running the same SQL on the same
# PostgreSQL server, at the same concurrency. Run from the repository root: bench/sales/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
PORT=${PORT:-18083}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB=${DB:-relay_bench_sales}
SEED_LEADS=${SEED_LEADS:-20000}
OUT=${OUT:-target/bench-sales}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
export PGHOST PGPORT PGUSER

command -v wrk >/dev/null && command -v pgbench >/dev/null || {
  apt-get update -qq && apt-get install -y -qq wrk postgresql-client >/dev/null
}
JAR=${JAR:-target/relay.jar}
[ -f "$JAR" ] || ./mvnw -q -o -B package -DskipTests
mkdir -p "$OUT"
rm -f "$OUT"/pgbench_log_*

psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" 2>&1 | grep -v NOTICE || true

if ss -ltn | grep -q ":$PORT "; then echo "port $PORT is in use; set PORT" >&2; exit 1; fi
ADMIN=rly_bench-sales-admin-$(date +%s)-0123456789abcdef
DATA_DIR=$(mktemp -d)
DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" SERVER_PORT=$PORT RELAY_ADMIN_TOKEN=$ADMIN \
  RELAY_DATA_DIR=$DATA_DIR "$JAVA" -Xmx1g ${JAVA_OPTS:-} -Drelay.rate-limit.enabled=false -jar "$JAR" --logging.level.root=warn >"$OUT/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true; rm -rf "$DATA_DIR"' EXIT
for _ in $(seq 1 120); do
  kill -0 $APP 2>/dev/null || { echo "Relay did not start; see $OUT/app.log" >&2; exit 1; }
  curl -sf "http://localhost:$PORT/health" >/dev/null && break
  sleep 1
done

api() { curl -sf -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}"; }
TOKEN=$(api "$ADMIN" -X POST "http://localhost:$PORT/api/v1/tokens" -d '{"username":"bench","roles":["SALES"]}' \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')
EMPLOYEE=$(api "$TOKEN" -X POST "http://localhost:$PORT/employees" \
  -d '{"name":"Bench Rep","email":"rep@bench.test","role":"SALES_REP"}' | sed -E 's/.*"id":([0-9]+).*/\1/')
TOKEN_HASH=$(printf %s "$TOKEN" | sha256sum | cut -d" " -f1)
export TOKEN EMPLOYEE

# Seed leads for the list: a fifth of them Qualified; then the steady state of a table autovacuum has visited.
psql -q -d "$DB" -c "
  INSERT INTO sales_lead (name, contact_email, status, expected_revenue, currency, source, assigned_to, created_at, updated_at)
  SELECT 'seed ' || g, 'seed' || g || '@bench.test',
         (ARRAY['New','Contacted','Qualified','Proposal','Negotiation'])[1 + g % 5], g % 10000, 'USD', 'seed', $EMPLOYEE,
         now(), now()
  FROM generate_series(1, $SEED_LEADS) g;" \
  -c "VACUUM ANALYZE sales_lead" -c "CREATE SEQUENCE bench_seq"
# VACUUM, not only ANALYZE: a table autovacuum has visited answers the page's count(*) from the index alone (0.4 ms
# instead of 1.3 ms of heap fetches for 4,000 rows); without it, whether autovacuum ran before the measured minute
# decided the result. Relay and pgbench read the same vacuumed table.

# CPU ticks used so far by Relay, and by the PostgreSQL server's processes (its pooled backends live through a run)
cpu_ticks() { awk '{t += $14 + $15} END {print t}' "/proc/$APP/stat"; }
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
pg_ticks() { for p in $(pgrep -x postgres); do cat "/proc/$p/stat" 2>/dev/null; done | awk '{t += $14 + $15} END {print t + 0}'; }
run_wrk() { # name script
  RUN=w$(date +%s%N) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "bench/sales/$2" "http://localhost:$PORT" >/dev/null
  local relay=$(cpu_ticks) pg=$(pg_ticks) busy=$(busy_ticks)
  RUN=m$(date +%s%N) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "bench/sales/$2" "http://localhost:$PORT" \
    | tee "$OUT/wrk-$1.txt"
  awk -v r=$(( $(cpu_ticks) - relay )) -v p=$(( $(pg_ticks) - pg )) -v b=$(( $(busy_ticks) - busy )) \
    -v t="$(getconf CLK_TCK)" -v n="$(awk '/requests in/ {print $1}' "$OUT/wrk-$1.txt")" \
    'BEGIN { printf "CPU per request: Relay %.0f us, PostgreSQL %.0f us, whole machine %.0f us\n",
      r / t / n * 1e6, p / t / n * 1e6, b / t / n * 1e6 }' | tee -a "$OUT/wrk-$1.txt"
}
run_pgbench() { # name script
  pgbench -n -c "$CONNECTIONS" -j "$THREADS" -T "${WARMUP%s}" -D employee="$EMPLOYEE" -D token_hash="$TOKEN_HASH" -f "$ROOT/bench/sales/$2" "$DB" >/dev/null
  local busy=$(busy_ticks)
  (cd "$OUT" && pgbench -n -c "$CONNECTIONS" -j "$THREADS" -T "${DURATION%s}" -D employee="$EMPLOYEE" -D token_hash="$TOKEN_HASH" -l \
    --log-prefix="pgbench_log_$1" -f "$ROOT/bench/sales/$2" "$DB") | tee "$OUT/pgbench-$1.txt"
  awk -v b=$(( $(busy_ticks) - busy )) -v t="$(getconf CLK_TCK)" -v n="$(awk '/transactions actually processed/ {print $NF}' "$OUT/pgbench-$1.txt")" \
    'BEGIN { printf "CPU per transaction: whole machine %.0f us\n", b / t / n * 1e6 }' | tee -a "$OUT/pgbench-$1.txt"
  # per-transaction latencies (microseconds, third column) -> p50 / p99 in milliseconds
  cat "$OUT"/pgbench_log_"$1".* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {
    printf "pgbench %s latency p50 %.2f ms, p99 %.2f ms over %d transactions\n", name, a[int(NR*0.5)]/1000,
      a[int(NR*0.99)]/1000, NR }' name="$1" | tee -a "$OUT/pgbench-$1.txt"
}

metrics() { # name: where the time went during the last wrk run (pool wait, GC pauses), from Actuator
  for m in hikaricp.connections.acquire hikaricp.connections.usage jvm.gc.pause http.server.requests; do
    printf '%s %s\n' "$m" "$(curl -sf -H "Authorization: Bearer $ADMIN" "http://localhost:$PORT/actuator/metrics/$m" \
      | sed -E 's/.*"measurements":(\[[^]]*\]).*/\1/')"
  done | tee "$OUT/metrics-$1.txt"
}
echo "== list-leads: HTTP";    run_wrk list list-leads.lua; metrics list
echo "== list-leads: pgbench"; run_pgbench list list-leads.sql
echo "== create-lead: HTTP";    run_wrk create create-lead.lua; metrics create
echo "== create-lead: pgbench"; run_pgbench create create-lead.sql
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -r); results in $OUT"
