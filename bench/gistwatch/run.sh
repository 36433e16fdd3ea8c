#!/usr/bin/env bash
# Gistwatch scan benchmark: USERS watched users (default 10,000) against a local fake GitHub that adds DELAY_MS
# (default 50 ms) to every response. Cycle 1 lists every user's gists; cycle 2, with nothing changed, must cost only
# conditional requests (304s). Baselines run against the same fake. Results: bench/out/gistwatch/summary.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS=${USERS:-10000}
DELAY_MS=${DELAY_MS:-50}
free_port() { python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
FAKE_PORT=${FAKE_PORT:-$(free_port)}
APP_PORT=${APP_PORT:-$(free_port)}
while [ "$APP_PORT" = "$FAKE_PORT" ]; do APP_PORT=$(free_port); done
OUT=bench/out/gistwatch
TOKEN=rly_bench-admin-token-0123456789abcdef
command -v curl >/dev/null && command -v jq >/dev/null && command -v python3 >/dev/null \
    || (apt-get update -qq && apt-get install -y -qq curl jq python3)
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1 || true)}
JAVA=${JAVA:-java}
[ -f target/relay.jar ] || ./mvnw -q -o -B package -DskipTests
rm -rf "$OUT" && mkdir -p "$OUT"

python3 bench/gistwatch/fake_github.py "$FAKE_PORT" "$DELAY_MS" &
FAKE=$!
sleep 1
kill -0 $FAKE  # the fake must be up (port free)
LOGINS=$(python3 -c "print(','.join('u%05d' % i for i in range(1, $USERS + 1)))")
PIPETEST_QUERIED_USERS=$LOGINS GITHUB_API_URL=http://127.0.0.1:$FAKE_PORT GITHUB_TOKEN=bench-token \
    RELAY_ADMIN_TOKEN=$TOKEN RELAY_DATA_DIR=$OUT/data SERVER_PORT=$APP_PORT \
    RELAY_GISTWATCH_FIRST_SCAN_DELAY=PT1H \
    "$JAVA" -Xmx768m -Drelay.rate-limit.enabled=false -jar target/relay.jar >"$OUT/relay.log" 2>&1 &
APP=$!
trap 'kill $APP $FAKE 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$APP_PORT/health" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$APP_PORT/health" >/dev/null
# The watch list is seeded right after start-up: wait until all users are watched.
for _ in $(seq 1 180); do
    WATCHED=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$APP_PORT/getCurrentlyScannedUsers" | jq length)
    [ "$WATCHED" = "$USERS" ] && break
    sleep 1
done
[ "$WATCHED" = "$USERS" ]
grep -E "Started RelayApplication|Watching [0-9]+ GitHub" "$OUT/relay.log" | sed 's/.*: //' >"$OUT/startup.txt" || true

scan() {
    curl -s -X POST -o "$OUT/$1.json" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$APP_PORT/api/v1/github/scan"
}
curl -s -X POST "http://127.0.0.1:$FAKE_PORT/__reset"
CYCLE1=$(scan cycle1)
curl -s "http://127.0.0.1:$FAKE_PORT/__stats" >"$OUT/fake1.json"
curl -s -X POST "http://127.0.0.1:$FAKE_PORT/__reset"
CYCLE2=$(scan cycle2)
curl -s "http://127.0.0.1:$FAKE_PORT/__stats" >"$OUT/fake2.json"
curl -s -X POST "http://127.0.0.1:$FAKE_PORT/__reset"
kill $APP; wait $APP 2>/dev/null || true
python3 bench/gistwatch/baseline_client.py "http://127.0.0.1:$FAKE_PORT" "$USERS" 20 200 >"$OUT/baseline.json"
curl -s "http://127.0.0.1:$FAKE_PORT/__stats" >"$OUT/fake_baseline.json"

jq -n --arg users "$USERS" --arg delay "$DELAY_MS" --arg c1 "$CYCLE1" --arg c2 "$CYCLE2" \
    --slurpfile r1 "$OUT/cycle1.json" --slurpfile r2 "$OUT/cycle2.json" \
    --slurpfile f1 "$OUT/fake1.json" --slurpfile f2 "$OUT/fake2.json" \
    --slurpfile b "$OUT/baseline.json" --slurpfile fb "$OUT/fake_baseline.json" \
    '{users: ($users|tonumber), delay_ms: ($delay|tonumber),
      cycle1: {wall_s: ($c1|tonumber), relay: $r1[0], github: $f1[0]},
      cycle2: {wall_s: ($c2|tonumber), relay: $r2[0], github: $f2[0]},
      baseline: ($b[0] + {github: $fb[0]}),
      ratio_cycle1_vs_bare_client: (($c1|tonumber) / $b[0].bounded_client_s)}' | tee "$OUT/summary.json"
