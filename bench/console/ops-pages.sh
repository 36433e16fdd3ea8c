#!/usr/bin/env bash
# Server time of the console's field-service, imports and GitHub pages on the 1,048,575-row field-service data set.
#   KEEP=1 bench/fieldservice/run.sh     # once: loads the data into relay_bench_fs_1m on the local server
#   bench/console/ops-pages.sh           # from the repository root
# Starts Relay on that database, signs in to the console with the bench admin token (session cookie + CSRF, as a
# browser does) and times each page with curl: 30 sequential requests after 3 warm-ups, p50 / p99 / mean in ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$ROOT/bench/out
mkdir -p "$OUT"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB=${DB:-relay_bench_fs_1m}
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }
[ -f target/relay.jar ] && [ -z "${REBUILD:-}" ] || ./mvnw -o -q -B -DskipTests -DskipITs package
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
JAVA=${JAVA:-java}
PORT=${PORT:-18490}
TOKEN=rly_bench-admin-token-0123456789abcdef
RESULTS=$OUT/console-ops-pages.txt
: > "$RESULTS"
log() { echo "$*" | tee -a "$RESULTS"; }

DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" RELAY_ADMIN_TOKEN=$TOKEN SERVER_PORT=$PORT \
  RELAY_DATA_DIR=$OUT/data "$JAVA" -Xmx512m -Xms512m -Drelay.rate-limit.enabled=false -jar target/relay.jar \
  > "$OUT/relay-console-ops.log" 2>&1 &
RELAY_PID=$!
trap 'kill $RELAY_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://localhost:$PORT/health" >/dev/null && break; sleep 0.5; done

JAR=$(mktemp)
BASE=http://localhost:$PORT
csrf=$(curl -s -c "$JAR" -b "$JAR" "$BASE/console/signin" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "token=$TOKEN" --data-urlencode "_csrf=$csrf" "$BASE/console/signin"
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$BASE/console/field")
[ "$status" = 200 ] || { echo "console sign-in failed ($status); see $OUT/relay-console-ops.log"; exit 1; }

time_page() { # $1 = label, $2 = path, $3.. = extra curl arguments
  local label=$1 path=$2; shift 2
  local times=() code
  for i in $(seq 1 33); do
    read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -b "$JAR" "$@" "$BASE$path")
    [ "$code" = 200 ] || { echo "$label: HTTP $code"; exit 1; }
    [ "$i" -gt 3 ] && times+=("$t")
  done
  printf '%s\n' "${times[@]}" | python3 -c "
import sys
v = sorted(float(x) * 1000 for x in sys.stdin)
p = lambda q: v[min(len(v) - 1, int(round(q * (len(v) - 1))))]
print(f'  $label: p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, mean {sum(v)/len(v):.1f} ms')" | tee -a "$RESULTS"
}

TASK=$(psql -At -d "$DB" -c "select id from fieldservice_import order by created_at desc limit 1")
log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), visits $(psql -At -d "$DB" -c 'select count(*) from fieldservice_visit')"
time_page "field service page (all time, visits page 1)" "/console/field"
time_page "field service page, Jul-Sep with productivity" "/console/field?start_date=2021-07-01&end_date=2021-09-30"
time_page "indicators fragment, UF SP, Jul-Sep" "/console/field/indicators?uf=SP&start_date=2021-07-01&end_date=2021-09-30" -H "HX-Request: true"
time_page "visits fragment, status DONE, late, by deadline desc, page 50" "/console/field/visits?status=DONE&on_time=false&order_by=-data_limite&page=50&per_page=25" -H "HX-Request: true"
time_page "visits fragment, one polo" "/console/field/visits?polo=$(psql -At -d "$DB" -c 'select name from fieldservice_polo order by id limit 1' | python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.stdin.read().strip()))')" -H "HX-Request: true"
urlq() { python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.stdin.read().strip()))'; }
RARE_POLO=$(psql -At -d "$DB" -c 'select p.name from fieldservice_polo p join fieldservice_visit v on v.polo_id = p.id group by p.name order by count(*), p.name limit 1' | urlq)
RARE_ANGEL=$(psql -At -d "$DB" -c 'select a.name from fieldservice_angel a join fieldservice_visit v on v.angel_id = a.id group by a.name order by count(*), a.name limit 1' | urlq)
# the rarest polo and angel: their matches are spread thinnest, so finding a page and counting them scans the most
time_page "visits fragment, the rarest polo" "/console/field/visits?polo=$RARE_POLO" -H "HX-Request: true"
time_page "visits fragment, the rarest angel, by deadline desc" "/console/field/visits?angel=$RARE_ANGEL&order_by=-data_limite" -H "HX-Request: true"
time_page "visits fragment, UF SP, pending, by visit date" "/console/field/visits?uf=SP&status=PENDING&order_by=data_de_atendimento" -H "HX-Request: true"
time_page "imports page" "/console/imports"
[ -n "$TASK" ] && time_page "import task page (1M import, finished)" "/console/imports/$TASK"
[ -n "$TASK" ] && time_page "import status fragment" "/console/imports/$TASK/status" -H "HX-Request: true"
time_page "github page" "/console/github"
log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
log "server time (Relay's request log, the same requests; p50 / max in ms):"
grep "relay.requests" "$OUT/relay-console-ops.log" | grep -o 'GET /console[^ ]* 200 [0-9.]* ms' | python3 -c "
import sys, collections
times = collections.defaultdict(list)
for line in sys.stdin:
    _, path, _, ms, _ = line.split()
    times[path.split('?')[0] if '/imports/' in path else path].append(float(ms))
for path, v in times.items():
    if len(v) < 10:
        continue
    v.sort()
    print(f'  {path[:90]}: p50 {v[len(v) // 2]:.1f}, max {v[-1]:.1f} (n={len(v)})')" | tee -a "$RESULTS"
