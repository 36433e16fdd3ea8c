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

"$JAVA" bench/webhooks/Receiver.java "$RECEIVER_PORT" >"$OUT/receiver.log" 2>&1 &
RECEIVER=$!
ADMIN=rly_bench-webhooks-admin-$(date +%s)-0123456789abcdef
DATA_DIR=$(mktemp -d)
DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" SERVER_PORT=$PORT RELAY_ADMIN_TOKEN=$ADMIN \
  RELAY_DATA_DIR=$DATA_DIR RELAY_WEBHOOKS_ALLOW_PRIVATE=true \
  "$JAVA" -Xmx1g ${JAVA_OPTS:-} -Drelay.rate-limit.enabled=false -jar "$JAR" --logging.level.root=warn >"$OUT/app.log" 2>&1 &
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

create_leads() { # name [script] [connections]
  RUN=w$(date +%s%N) wrk -t"$THREADS" -c"${3:-$CONNECTIONS}" -d"$WARMUP" -s "${2:-bench/sales/create-lead.lua}" "http://localhost:$PORT" >/dev/null
  receiver POST reset
  RUN=m$(date +%s%N) wrk -t"$THREADS" -c"${3:-$CONNECTIONS}" -d"$DURATION" --latency -s "${2:-bench/sales/create-lead.lua}" \
    "http://localhost:$PORT" | tee "$OUT/wrk-$1.txt"
}
drained() { # waits until no delivery is pending, then prints the receiver's figures
  local start=$(date +%s)
  local pending
  while pending=$(psql -tA -d "$DB" -c "SELECT count(*) FROM webhooks_delivery WHERE status = 'pending'") \
      && [ "$pending" != 0 ] && [ $(( $(date +%s) - start )) -lt "${DRAIN_LIMIT:-180}" ]; do
    sleep 0.5
  done
  echo "backlog: $pending pending $(( $(date +%s) - start )) s after the load ended"
  receiver GET stats | tee "$OUT/receiver-$1.txt"
}

echo "== create-lead, no subscription"; create_leads none
api "$ADMIN" -X POST "http://localhost:$PORT/api/v1/webhooks" \
  -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook\",\"events\":[\"lead.created\"]}" >/dev/null
echo "== create-lead, one subscription (receiver answers 200 at once)"; create_leads hooked; drained hooked
DEAD_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
api "$ADMIN" -X POST "http://localhost:$PORT/api/v1/webhooks" \
  -d "{\"url\":\"http://127.0.0.1:$DEAD_PORT/down\",\"events\":[\"*\"]}" >/dev/null
echo "== create-lead, plus a subscription whose receiver is down"
create_leads dead
receiver GET stats | tee "$OUT/receiver-dead.txt"
psql -tA -d "$DB" -c "SELECT 'live receiver pending after the load: ' || count(*) FROM webhooks_delivery d JOIN webhooks_subscription s ON s.id = d.subscription_id WHERE d.status = 'pending' AND s.url LIKE '%/hook'"
# the dead subscription's job keeps retrying; remove it and let the live receiver catch up before measuring latency
DEAD=$(api "$ADMIN" "http://localhost:$PORT/api/v1/webhooks" | grep -o '"id":[0-9]*' | sed -n 2p | cut -d: -f2)
api "$ADMIN" -X DELETE "http://localhost:$PORT/api/v1/webhooks/$DEAD" >/dev/null
drained after-dead
echo "== paced create-lead (~500/s: 10 connections, 20 ms pause) for the commit -> receiver latency"
DELAY_MS=20 create_leads paced bench/webhooks/paced-create-lead.lua 10
receiver GET stats | tee "$OUT/receiver-paced.txt"
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, load $(cut -d' ' -f1-3 /proc/loadavg); results in $OUT"
