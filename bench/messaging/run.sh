#!/usr/bin/env bash
# Messaging benchmark: POST /thread/{id}/{username} through Relay (wrk, 32 connections) against pgbench running the
# same insert transaction straight on PostgreSQL, then SSE fan-out to 1,000 subscribers of one thread.
# Usage: bench/messaging/run.sh   (env: POSTING=1 SSE=1 DURATION=15 CONNECTIONS=32 THREADS=100 SUBSCRIBERS=1000 ROUNDS=20
#        PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres BENCH_DB=relay_bench_messaging PORT=18093)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=bench/messaging/results
mkdir -p "$OUT"
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-100}
SUBSCRIBERS=${SUBSCRIBERS:-1000}
ROUNDS=${ROUNDS:-20}
BURST=${BURST:-256}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
BENCH_DB=${BENCH_DB:-relay_bench_messaging}
PORT=${PORT:-18093}
ADMIN_TOKEN=rly_bench-admin-token-$(date +%s)-0123456789abcdef
BASE=http://127.0.0.1:$PORT

command -v wrk >/dev/null && command -v pgbench >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk postgresql-client; }
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
[ -x "$JAVA" ] || { echo "set JAVA to a JDK 25 java binary"; exit 1; }
JAR=${JAR:-target/relay.jar}
[ -f "$JAR" ] || ./mvnw -q -o -B -DskipTests -DskipITs package

psql -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" -c "CREATE DATABASE $BENCH_DB"

SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$BENCH_DB?reWriteBatchedInserts=true" \
SPRING_DATASOURCE_USERNAME=$PGUSER SPRING_DATASOURCE_PASSWORD=${PGPASSWORD:-} \
RELAY_ADMIN_TOKEN=$ADMIN_TOKEN SERVER_PORT=$PORT RELAY_DATA_DIR=$(mktemp -d) \
  "$JAVA" -Xmx1g ${JAVA_OPTS:-} -Drelay.rate-limit.enabled=false -jar "$JAR" > "$OUT/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "$BASE/health" >/dev/null && break; sleep 1; done
curl -sf "$BASE/health" >/dev/null || { echo "Relay did not start; see $OUT/app.log"; exit 1; }

psql -q -d "$BENCH_DB" -v threads="$THREADS" -f bench/messaging/setup.sql
token() {
  curl -sf -X POST "$BASE/api/v1/tokens" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"roles\":[\"AGENT\"]}" | sed -E 's/.*"token":"([^"]+)".*/\1/'
}
BENCH1=$(token bench1)
BENCH2=$(token bench2)

app_cpu_ticks() { awk '{print $14 + $15}' "/proc/$APP/stat"; }
post_bench() { # $1 label, $2 number of threads
  local before after
  before=$(app_cpu_ticks)
  THREADS=$2 TOKEN=$BENCH1 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/messaging/post.lua "$BASE" \
    > "$OUT/wrk-$1.txt"
  after=$(app_cpu_ticks)
  echo "wrk $1 $(grep RESULT "$OUT/wrk-$1.txt") relay_cpu_s=$(awk -v a="$after" -v b="$before" -v t="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (a - b) / t }')"
}
pg_bench() { # $1 label, $2 number of threads, $3 script (default insert.sql)
  pgbench -n -c"$CONNECTIONS" -j2 -T"$DURATION" -D threads="$2" -f "bench/messaging/${3:-insert.sql}" -P 5 -r "$BENCH_DB" \
    > "$OUT/pgbench-$1.txt" 2>&1
  echo "pgbench $1 $(grep -E '^tps' "$OUT/pgbench-$1.txt" | head -1) $(grep -E 'latency average' "$OUT/pgbench-$1.txt")"
}

if [ "${POSTING:-1}" = 1 ]; then
echo "== warm-up (${WARMUP:-20} s, lets the JIT compile the request path)"
DURATION=${WARMUP:-20} post_bench warmup "$THREADS" >/dev/null
echo "== posting, $CONNECTIONS connections, $THREADS threads (spread)"
post_bench spread "$THREADS"
pg_bench spread "$THREADS"
pg_bench spread-autocommit "$THREADS" insert-autocommit.sql
echo "== posting, $CONNECTIONS connections, 1 thread (hot row)"
post_bench hot 1
pg_bench hot 1
pg_bench hot-autocommit 1 insert-autocommit.sql
echo "== hot-thread burst: $BURST connections posting to 1 thread; meanwhile 1 connection reads another thread"
TOKEN=$BENCH2 wrk -t1 -c1 -d"${DURATION}s" -s bench/messaging/probe.lua "$BASE" > "$OUT/wrk-probe-idle.txt"
echo "probe alone $(grep RESULT "$OUT/wrk-probe-idle.txt")"
TOKEN=$BENCH2 wrk -t1 -c1 -d"${DURATION}s" -s bench/messaging/probe.lua "$BASE" > "$OUT/wrk-probe-burst.txt" &
PROBE=$!
CONNECTIONS=$BURST post_bench burst 1
wait $PROBE
echo "probe during burst $(grep RESULT "$OUT/wrk-probe-burst.txt")"
echo "5xx answers in the app log: $(grep -cE ' 5[0-9][0-9] [0-9]+\.[0-9]+ ms' "$OUT/app.log" || true)"
fi
if [ "${SSE:-1}" = 1 ]; then
echo "== SSE fan-out, $SUBSCRIBERS subscribers, $ROUNDS messages"
"$JAVA" bench/messaging/SseFanout.java "$BASE" "$BENCH1" "$BENCH2" 00000000-0000-4000-8000-999999999999 \
  "$SUBSCRIBERS" "$ROUNDS" "$APP" | tee "$OUT/sse-fanout.txt"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
