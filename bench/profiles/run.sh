#!/usr/bin/env bash
# Profiles benchmark: a name with 300 repositories on each fake provider, every fake answer delayed 200 ms.
# Usage: bench/profiles/run.sh   (env: ROUNDS=10 REPOS=300 DELAY_MS=200 WATCHERS=128 HIT_SECONDS=15)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-10}; REPOS=${REPOS:-300}; DELAY_MS=${DELAY_MS:-200}; WATCHERS=${WATCHERS:-128}
HIT_SECONDS=${HIT_SECONDS:-15}
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
WIREMOCK=$(ls ~/.m2/repository/org/wiremock/wiremock-standalone/*/wiremock-standalone-*.jar | tail -1)
# (re)build when the jar is missing or older than the sources, so a run never measures stale code
if [ ! -f target/relay.jar ] || [ -n "$(find src pom.xml -newer target/relay.jar -print -quit)" ]; then
  ./mvnw -q -o -B package -DskipTests -DskipITs
fi
WORK=$(mktemp -d); GH_PORT=18081; BB_PORT=18082; RELAY_PORT=18080
TOKEN=rly_bench-admin-token-0123456789abcdef
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
python3 bench/profiles/make_fakes.py "$WORK" bench "$REPOS" "$DELAY_MS" "$GH_PORT" "$BB_PORT"
for side in github:$GH_PORT bitbucket:$BB_PORT; do
  "$JAVA" -jar "$WIREMOCK" --port "${side#*:}" --root-dir "$WORK/${side%%:*}" --no-request-journal \
    --async-response-enabled true --async-response-threads 300 --container-threads 300 --disable-banner \
    > "$WORK/${side%%:*}.log" 2>&1 &
  pids+=($!)
done
GITHUB_API_URL=http://127.0.0.1:$GH_PORT BITBUCKET_API_URL=http://127.0.0.1:$BB_PORT \
BITBUCKET_WATCHERS_CONCURRENCY=$WATCHERS RELAY_ADMIN_TOKEN=$TOKEN RELAY_DATA_DIR=$WORK/data SERVER_PORT=$RELAY_PORT \
  "$JAVA" -Drelay.rate-limit.enabled=false -jar target/relay.jar > "$WORK/relay.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$RELAY_PORT/health" >/dev/null && break; sleep 1; done
for port in $GH_PORT $BB_PORT; do
  for _ in $(seq 1 60); do curl -s "http://127.0.0.1:$port/__admin/mappings" >/dev/null && break; sleep 1; done
done
echo "## cold aggregate vs provider chains ($REPOS repos per provider, ${DELAY_MS} ms per fake answer)"
python3 bench/profiles/measure.py "http://127.0.0.1:$RELAY_PORT" "$TOKEN" bench "http://127.0.0.1:$GH_PORT" \
  "http://127.0.0.1:$BB_PORT" "$ROUNDS" "$WATCHERS"
echo
cat > "$WORK/hit.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"username": "bench"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
cat > "$WORK/get.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
# warm-up, not reported: the JIT compiles the hit path during the first few thousand requests
wrk -t1 -c1 -d"${WARMUP_SECONDS:-20}s" -s "$WORK/hit.lua" "http://127.0.0.1:$RELAY_PORT/api/v1/aggregate" >/dev/null
wrk -t1 -c1 -d5s -s "$WORK/get.lua" "http://127.0.0.1:$RELAY_PORT/api/v1/profiles/bench" >/dev/null
echo "## cache hit: wrk -t1 -c1 -d${HIT_SECONDS}s (one client, sequential requests, after ${WARMUP_SECONDS:-20}s warm-up)"
wrk -t1 -c1 -d"${HIT_SECONDS}s" --latency -s "$WORK/hit.lua" "http://127.0.0.1:$RELAY_PORT/api/v1/aggregate" \
  | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
echo "## cache hit: wrk -t2 -c8 -d${HIT_SECONDS}s"
wrk -t2 -c8 -d"${HIT_SECONDS}s" --latency -s "$WORK/hit.lua" "http://127.0.0.1:$RELAY_PORT/api/v1/aggregate" \
  | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
echo "## baseline: GET /health (no token, no database) with the same wrk -t1 -c1"
wrk -t1 -c1 -d"${HIT_SECONDS}s" --latency "http://127.0.0.1:$RELAY_PORT/health" | grep -E "50%|90%|99%|Requests/sec"
echo "## baseline: GET /api/v1/profiles/bench (token check + one stored-profile read) with the same wrk -t1 -c1"
wrk -t1 -c1 -d"${HIT_SECONDS}s" --latency -s "$WORK/get.lua" "http://127.0.0.1:$RELAY_PORT/api/v1/profiles/bench" \
  | grep -E "50%|90%|99%|Requests/sec|Non-2xx"
echo "## load while measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
