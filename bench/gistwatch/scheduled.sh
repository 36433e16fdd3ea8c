#!/usr/bin/env bash
# Scheduled-cycle variant: USERS watched users whose per-user db-scheduler tasks all fall due at start-up
# (RELAY_GISTWATCH_FIRST_SCAN_DELAY=PT0S); measures the time until every user has been scanned once by the
# scheduler alone (no manual scan); RELAY_JOBS_THREADS (platform default 8) bounds scans in flight.
# Output: bench/out/gistwatch-scheduled/summary.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS=${USERS:-10000}
DELAY_MS=${DELAY_MS:-50}
OUT=bench/out/gistwatch-scheduled
TOKEN=rly_bench-admin-token-0123456789abcdef
command -v curl >/dev/null && command -v jq >/dev/null || (apt-get update -qq && apt-get install -y -qq curl jq)
free_port() { python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
FAKE_PORT=$(free_port)
APP_PORT=$(free_port)
while [ "$APP_PORT" = "$FAKE_PORT" ]; do APP_PORT=$(free_port); done
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1 || true)}
JAVA=${JAVA:-java}
[ -f target/relay.jar ] || ./mvnw -q -o -B package -DskipTests
rm -rf "$OUT" && mkdir -p "$OUT"
python3 bench/gistwatch/fake_github.py "$FAKE_PORT" "$DELAY_MS" &
FAKE=$!
sleep 1
kill -0 $FAKE
LOGINS=$(python3 -c "print(','.join('u%05d' % i for i in range(1, $USERS + 1)))")
START=$(date +%s.%N)
PIPETEST_QUERIED_USERS=$LOGINS GITHUB_API_URL=http://127.0.0.1:$FAKE_PORT GITHUB_TOKEN=bench-token \
    RELAY_ADMIN_TOKEN=$TOKEN RELAY_DATA_DIR=$OUT/data SERVER_PORT=$APP_PORT RELAY_GISTWATCH_FIRST_SCAN_DELAY=PT0S RELAY_JOBS_THREADS=${RELAY_JOBS_THREADS:-8} \
    "$JAVA" -Xmx768m -Drelay.rate-limit.enabled=false -jar target/relay.jar >"$OUT/relay.log" 2>&1 &
APP=$!
trap 'kill $APP $FAKE 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    SCANNED=$(curl -s "http://127.0.0.1:$FAKE_PORT/__stats" | jq .ok || echo 0)
    [ "${SCANNED:-0}" -ge "$USERS" ] && break
    kill -0 $APP
    sleep 1
done
END=$(date +%s.%N)
FIRST=$(grep -m1 "Found 1 new gist" "$OUT/relay.log" | cut -c1-23)
LAST=$(grep "Found 1 new gist" "$OUT/relay.log" | tail -1 | cut -c1-23)
curl -s "http://127.0.0.1:$FAKE_PORT/__stats" >"$OUT/fake.json"
jq -n --arg users "$USERS" --arg first "$FIRST" --arg last "$LAST" --arg total "$(echo "$END - $START" | bc)" \
    --slurpfile f "$OUT/fake.json" \
    '{users: ($users|tonumber), first_gist_at: $first, last_gist_at: $last, process_start_to_done_s: ($total|tonumber),
      github: $f[0]}' | tee "$OUT/summary.json"
