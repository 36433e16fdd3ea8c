#!/usr/bin/env bash
# Webhooks benchmark: create-lead (bench/sales/create-lead.lua) with no subscription, then with a subscription whose
# local receiver answers 200 at once, then with a dead receiver besides; and at a paced 500 leads/s for the
# commit -> receiver latency. Run from the repository root: bench/webhooks/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
PORT=${PORT:-18093}
RECEIVER_PORT=${RECEIVER_PORT:-18094}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB=${DB:-relay_bench_webhooks}
OUT=${OUT:-target/bench-webhooks}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
export PGHOST PGPORT PGUSER

command -v wrk >/dev/null && command -v psql >/dev/null || {
  apt-get update -qq && apt-get install -y -qq wrk postgresql-client >/dev/null
}
JAR=${JAR:-target/relay.jar}
[ -f "$JAR" ] || ./mvnw -q -o -B package -DskipTests
mkdir -p "$OUT"
psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" 2>&1 | grep -v NOTICE || true
for p in $PORT $RECEIVER_PORT; do
  if ss -ltn | grep -q ":$p "; then echo "port $p is in use; set PORT / RECEIVER_PORT" >&2; exit 1; fi
done

# PRIORITY=-15 runs the benchmark's processes (Relay, the receiver, wrk and the PostgreSQL backends serving $DB) at
# that nice level, so that other work on a shared machine takes only what they leave idle.
NICE=${PRIORITY:+nice -n $PRIORITY}
prioritise() {
  [ -n "${PRIORITY:-}" ] || return 0
  # a backend is one process of one thread, so renice reaches all of it (Relay and the receiver start under nice)
  renice -n "$PRIORITY" -p $(pgrep -f "postgres: .*$DB") >/dev/null 2>&1 || true
}

$NICE "$JAVA" -Dtrace="$OUT" bench/webhooks/Receiver.java "$RECEIVER_PORT" >"$OUT/receiver.log" 2>&1 &
RECEIVER=$!
ADMIN=rly_bench-webhooks-admin-$(date +%s)-0123456789abcdef
DATA_DIR=$(mktemp -d)
DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" SERVER_PORT=$PORT RELAY_ADMIN_TOKEN=$ADMIN \
  RELAY_DATA_DIR=$DATA_DIR RELAY_WEBHOOKS_ALLOW_PRIVATE=true \
  $NICE "$JAVA" -Xmx1g ${JAVA_OPTS:-} -Drelay.rate-limit.enabled=false -jar "$JAR" --logging.level.root=warn >"$OUT/app.log" 2>&1 &
APP=$!
trap 'kill $APP $RECEIVER 2>/dev/null; wait $APP $RECEIVER 2>/dev/null || true; rm -rf "$DATA_DIR"' EXIT
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
export TOKEN EMPLOYEE
receiver() { curl -sf -X "$1" "http://127.0.0.1:$RECEIVER_PORT/$2"; }

# CPU ticks used so far by Relay, the receiver, PostgreSQL and the whole machine
ticks() { awk '{t += $14 + $15} END {print t + 0}' "/proc/$1/stat"; }
# only the backends serving $DB (Relay's pool keeps them for the whole run), not other databases on the same server
pg_ticks() { for p in $(pgrep -f "postgres: .*$DB"); do cat "/proc/$p/stat" 2>/dev/null; done | awk '{t += $14 + $15} END {print t + 0}'; }
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
cpu_mark() { CPU_MARK="$(ticks $APP) $(ticks $RECEIVER) $(pg_ticks) $(busy_ticks)"; }
cpu_report() { # label requests: CPU per request since cpu_mark, split by process
  read -r r0 v0 p0 b0 <<<"$CPU_MARK"
  awk -v r=$(( $(ticks $APP) - r0 )) -v v=$(( $(ticks $RECEIVER) - v0 )) -v p=$(( $(pg_ticks) - p0 )) \
    -v b=$(( $(busy_ticks) - b0 )) -v t="$(getconf CLK_TCK)" -v n="$2" -v l="$1" \
    'BEGIN { printf "CPU per lead (%s): Relay %.0f us, its PostgreSQL backends %.0f us, receiver %.0f us; together %.0f us; whole machine %.0f us\n",
      l, r / t / n * 1e6, p / t / n * 1e6, v / t / n * 1e6, (r + p + v) / t / n * 1e6, b / t / n * 1e6 }'
}
create_leads() { # name [script] [connections]
  prioritise
  RUN=w$(date +%s%N) $NICE wrk -t"$THREADS" -c"${3:-$CONNECTIONS}" -d"$WARMUP" -s "${2:-bench/sales/create-lead.lua}" "http://localhost:$PORT" >/dev/null
  receiver POST reset
  # each measured run starts right after a checkpoint, so the full-page writes that follow one (every 5 minutes by
  # default) do not land on whichever run comes next
  psql -q -d "$DB" -c CHECKPOINT
  prioritise
  cpu_mark
  RUN=m$(date +%s%N) $NICE wrk -t"$THREADS" -c"${3:-$CONNECTIONS}" -d"$DURATION" --latency -s "${2:-bench/sales/create-lead.lua}" \
    "http://localhost:$PORT" | tee "$OUT/wrk-$1.txt"
  LEADS=$(awk '/requests in/ {print $1}' "$OUT/wrk-$1.txt")
  cpu_report "during the load" "$LEADS" | tee -a "$OUT/wrk-$1.txt"
}
drained() { # waits until no delivery is pending, then prints the receiver's figures
  local start=$(date +%s)
  local pending
  while pending=$(psql -tA -d "$DB" -c "SELECT count(*) FROM webhooks_delivery WHERE status = 'pending'") \
      && [ "$pending" != 0 ] && [ $(( $(date +%s) - start )) -lt "${DRAIN_LIMIT:-180}" ]; do
    sleep 0.5
  done
  echo "backlog: $pending pending $(( $(date +%s) - start )) s after the load ended"
  cpu_report "load and drain" "$LEADS" | tee -a "$OUT/wrk-$1.txt"
  receiver GET "stats?$1" | tee "$OUT/receiver-$1.txt"
}

subscribe() { # url events-json -> prints the new subscription's id
  api "$ADMIN" -X POST "http://localhost:$PORT/api/v1/webhooks" -d "{\"url\":\"$1\",\"events\":$2}" \
    | sed -E 's/.*"id":([0-9]+).*/\1/'
}
enable() { api "$ADMIN" -X PATCH "http://localhost:$PORT/api/v1/webhooks/$1" -d "{\"enabled\":$2}" >/dev/null; }
rate() { awk '/Requests\/sec/ {print $2}' "$OUT/wrk-$1.txt"; }
# the last figure: for a run with a subscription, the load and its drain, so deliveries made after the load count
together() { sed -nE 's/.*together ([0-9]+) us.*/\1/p' "$OUT/wrk-$1.txt" | tail -1; }

# Without and with a subscription, alternating, so each pair sees the same machine; the ratio of each pair counts.
# Even pairs run the subscription first (ABBA), so the JVM still warming up over the run favours neither side.
HOOK=$(subscribe "http://127.0.0.1:$RECEIVER_PORT/hook" '["lead.created"]')
without() {
  enable "$HOOK" false
  echo "== pair $pair: create-lead, subscription disabled"; create_leads "none-$pair"
}
with() {
  enable "$HOOK" true
  echo "== pair $pair: create-lead, one subscription (receiver answers 200 at once)"; create_leads "hooked-$pair"
  drained "hooked-$pair"
}
# The JIT compiles the delivery path only once it runs: a round with the subscription first (JIT_WARMUP, 60 s), so the
# pairs compare warm code on both sides (before, the first pairs' runs with the subscription paid for compilation).
enable "$HOOK" true
echo "== JIT warm-up: create-lead with the subscription for ${JIT_WARMUP:-60s}"
prioritise
RUN=j$(date +%s%N) $NICE wrk -t"$THREADS" -c"$CONNECTIONS" -d"${JIT_WARMUP:-60s}" -s bench/sales/create-lead.lua \
  "http://localhost:$PORT" >/dev/null
until [ "$(psql -tA -d "$DB" -c "SELECT count(*) FROM webhooks_delivery WHERE status = 'pending'")" = 0 ]; do sleep 0.5; done
for pair in $(seq 1 "${PAIRS:-3}"); do
  if [ $(( pair % 2 )) = 1 ]; then without; with; else with; without; fi
  awk -v a="$(rate "none-$pair")" -v b="$(rate "hooked-$pair")" -v p="$pair" \
    -v ca="$(together "none-$pair")" -v cb="$(together "hooked-$pair")" \
    'BEGIN { printf "pair %d: %.0f req/s without, %.0f with a subscription: %+.1f %%; CPU per lead (Relay, its backends, receiver) %.0f -> %.0f us: %+.1f %%\n",
      p, a, b, (b / a - 1) * 100, ca, cb, (cb / ca - 1) * 100 }' | tee -a "$OUT/pairs.txt"
done

# RATE (500) events a second on a fixed schedule (bench/webhooks/paced-create-lead.lua), 32 connections
export THREADS RATE=${RATE:-500}
enable "$HOOK" false
echo "== create-lead paced at $RATE/s, subscription disabled"
create_leads paced-none bench/webhooks/paced-create-lead.lua
enable "$HOOK" true
echo "== create-lead paced at $RATE/s with the subscription, for the commit -> receiver latency"
create_leads paced bench/webhooks/paced-create-lead.lua
drained paced
awk -v a="$(rate paced-none)" -v b="$(rate paced)" -v ca="$(together paced-none)" -v cb="$(together paced)" \
  'BEGIN { printf "paced: %.0f and %.0f req/s; CPU per lead (Relay, its backends, receiver) %.0f -> %.0f us: %+.1f %%\n",
    a, b, ca, cb, (cb / ca - 1) * 100 }' | tee -a "$OUT/pairs.txt"

# A receiver that accepts and never answers (each attempt waits out the 10 s timeout) for DEAD_DURATION, beside the
# live one, at the same pace: the API and the live receiver must not notice.
HANG=$(subscribe "http://127.0.0.1:$RECEIVER_PORT/hang" '["*"]')
echo "== create-lead paced at $RATE/s for ${DEAD_DURATION:-5m} with a second subscription whose receiver never answers"
DURATION=${DEAD_DURATION:-5m} create_leads hanging bench/webhooks/paced-create-lead.lua
receiver GET "stats?hanging" | tee "$OUT/receiver-hanging.txt"
psql -tA -d "$DB" -c "SELECT 'hanging receiver: ' || count(*) FILTER (WHERE status = 'pending') || ' pending, '
  || coalesce(sum(attempts), 0) || ' attempts made' FROM webhooks_delivery WHERE subscription_id = $HANG"
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, load $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT"
