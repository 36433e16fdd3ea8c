#!/usr/bin/env bash
# Field service at ten million visits (issue 17), against the 1M figures measured side by side in the same run.
#   KEEP=1 bench/fieldservice/run.sh && bench/fieldservice/big.sh     # from the repository root; ~30-60 min on 2 cores
# 1. Generates 10,485,750 rows (and the 1M file, if run.sh has not) (same shape as the 1M file, ~1 % bad rows, ~5.7M clients) unless present.
# 2. Imports them into a new database (heap 512 MB, upload limit raised to the file's size), printing progress,
#    then measures the floor (psql COPY of the written rows into an empty copy of the visit table).
# 3. Imports them again into a second database, kill -9 at 50 %, restarts, and checks the counts equal run 2's.
# 4. Times indicators, the visit list (each filter and order, page 1 and page 1,000) and the console's field-service
#    pages on the 1M database (left by run.sh) and the 10M one, requests alternating between two Relays.
# SKIP_IMPORT=1 reuses the 10M database of an earlier run; SKIP_KILL=1 skips step 3; IMPORT_ONLY=1 stops after it;
# READS=regex times only the reads whose label matches.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$ROOT/bench/out
mkdir -p "$OUT"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
command -v psql >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }
command -v bc >/dev/null || { apt-get update -qq && apt-get install -y -qq bc; }
ROWS=${ROWS:-10485750}
FILE=$OUT/bd_10m.csv
[ -f "$FILE" ] || python3 bench/fieldservice/generate.py "$FILE" "$ROWS"
[ -f "$OUT/bd_1m.csv" ] || python3 bench/fieldservice/generate.py "$OUT/bd_1m.csv" 1048575
[ -f target/relay.jar ] && [ -z "${REBUILD:-}" ] || ./mvnw -o -q -B -DskipTests -DskipITs package
# A copy, so a rebuild during the (long) run cannot change the jar under a running Relay.
cp target/relay.jar "$OUT/relay-10m.jar"
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
JAVA=${JAVA:-java}
SMALL=${SMALL:-relay_bench_fs_1m}
BIG=${BIG:-relay_bench_fs_10m}
PORT_SMALL=${PORT_SMALL:-18483}
PORT_BIG=${PORT_BIG:-18484}
TOKEN=rly_bench-admin-token-0123456789abcdef
RESULTS=$OUT/fieldservice-10m.txt
ROUNDS=${ROUNDS:-20}
: > "$RESULTS"
log() { echo "$*" | tee -a "$RESULTS"; }
now() { date +%s.%N; }
UPLOAD_LIMIT=$(( $(stat -c %s "$FILE") / 1048576 + 16 ))MB

declare -A PIDS=()
start_relay() { # $1 database, $2 port, $3 = resume to let an interrupted import go on
  # Otherwise stale executions of an interrupted benchmark import would resume and skew the timings.
  [ "${3:-}" = resume ] || psql -q -d "$1" -c "DELETE FROM scheduled_tasks WHERE task_name = 'fieldservice-csv-import'" 2>/dev/null || true
  DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$1" RELAY_ADMIN_TOKEN=$TOKEN SERVER_PORT=$2 \
    RELAY_JOBS_HEARTBEAT_INTERVAL=PT5S RELAY_JOBS_MISSED_HEARTBEATS_LIMIT=4 RELAY_MAX_UPLOAD_SIZE=$UPLOAD_LIMIT RELAY_DATA_DIR=$OUT/data "$JAVA" -Xmx512m -Xms512m ${JAVA_OPTS:-} \
    -Drelay.rate-limit.enabled=false -jar "$OUT/relay-10m.jar" >> "$OUT/relay-10m-$1.log" 2>&1 &
  PIDS[$2]=$!
  for _ in $(seq 1 360); do curl -sf "http://localhost:$2/health" >/dev/null && return 0; sleep 0.5; done
  echo "Relay on $1 did not start; see $OUT/relay-10m-$1.log"; exit 1
}
stop_relay() { # $1 port, $2 signal
  local pid=${PIDS[$1]:-}
  [ -n "$pid" ] || return 0
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; unset "PIDS[$1]"
}
cleanup() { for port in "${!PIDS[@]}"; do stop_relay "$port"; done; }
trap cleanup EXIT
fresh_db() { psql -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; }
status() { curl -sf -H "Authorization: Bearer $TOKEN" "http://localhost:$1/api/v1/atendimento/task_status/$2"; }
upload() { # $1 port; prints the task id of an upload of $FILE
  curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/csv" --data-binary "@$FILE" \
    "http://localhost:$1/api/v1/atendimento/import_csv" | python3 -c 'import json,sys; print(json.load(sys.stdin)["task_id"])'
}
summary() { python3 -c 'import json,sys; s=json.load(sys.stdin); r=s.get("result") or {}; print(s["state"], "rows", r.get("total_rows"), "inserted", r.get("inserted"), "updated", r.get("updated"), "unchanged", r.get("unchanged"), "rejected", r.get("rejected"))'; }
percent() { python3 -c 'import json,sys; p=json.load(sys.stdin)["progress"]; print(100 * p["processed_bytes"] // max(1, p["total_bytes"]))'; }
counts() { python3 -c 'import json,sys; r=json.load(sys.stdin)["result"]; print(r["inserted"], r["updated"], r["unchanged"], r["rejected"])'; }

log "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, $(psql -At -d postgres -c 'select version()' | cut -d, -f1)"
log "file: $(( $(wc -l < "$FILE") - 1 )) rows, $(du -m "$FILE" | cut -f1) MB; upload limit $UPLOAD_LIMIT"

# 2. The 1M file, then the 10M file, each into a new database, timed from the upload's start to SUCCESS.
import_timed() { # $1 database, $2 file, $3 label; sets TOTAL and COUNTS
  fresh_db "$1"
  start_relay "$1" "$PORT_BIG"
  log "$3 import (heap 512 MB), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  local t0 t1 task s p last=""
  t0=$(now); task=$(FILE=$2 upload "$PORT_BIG"); t1=$(now)
  log "  upload $(echo "$t1 - $t0" | bc)s"
  while true; do
    s=$(status "$PORT_BIG" "$task")
    case "$s" in *'"state":"SUCCESS"'*|*'"state":"FAILURE"'*) break;; esac
    p=$(echo "$s" | percent)
    [ "$p" != "$last" ] && [ $(( p % 10 )) = 0 ] && log "  $(printf '%6.1f' "$(echo "$(now) - $t0" | bc)")s: ${p} %"
    last=$p; sleep 1
  done
  TOTAL=$(echo "$(now) - $t0" | bc)
  log "  $(echo "$s" | summary)"
  log "  total ${TOTAL}s; load after: $(cut -d' ' -f1-3 /proc/loadavg); JVM RSS $(ps -o rss= -p "${PIDS[$PORT_BIG]}" | awk '{printf "%d MB", $1/1024}')"
  # this task's own line (the log is appended to across runs)
  for _ in $(seq 1 50); do grep -q "Import $task finished in" "$OUT/relay-10m-$1.log" && break; sleep 0.2; done
  { grep -o "Import $task finished in .*" "$OUT/relay-10m-$1.log" || true; } | tail -1 | sed 's/^/  /' | tee -a "$RESULTS"
  COUNTS=$(echo "$s" | counts)
  stop_relay "$PORT_BIG"
}
if [ -z "${SKIP_IMPORT:-}" ] && [ -z "${KILL_ONLY:-}" ]; then
  import_timed "${BIG}_1m" "$OUT/bd_1m.csv" "1M"
  TOTAL_SMALL=$TOTAL
  psql -q -d postgres -c "DROP DATABASE IF EXISTS ${BIG}_1m WITH (FORCE)"
  import_timed "$BIG" "$FILE" "10M"
  TOTAL_BIG=$TOTAL; CLEAN_COUNTS=$COUNTS
  log "  10M / 1M import time: $(echo "scale=2; $TOTAL_BIG / $TOTAL_SMALL" | bc)x (target <= 11x)"
  psql -q -d "$BIG" -c "VACUUM ANALYZE"
  log "  database size $(psql -At -d "$BIG" -c "select pg_size_pretty(pg_database_size(current_database()))")"
fi

# 3. kill -9 at 50 %, restart, resume: the counts must equal the clean run's (KILL_ONLY=1 runs just this step).
if { [ -z "${SKIP_IMPORT:-}" ] && [ -z "${SKIP_KILL:-}" ]; } || [ -n "${KILL_ONLY:-}" ]; then
  CLEAN_COUNTS=${CLEAN_COUNTS:-$(psql -At -F' ' -d "$BIG" -c "SELECT inserted, updated, unchanged, rejected FROM fieldservice_import WHERE state = 'SUCCESS' ORDER BY finished_at DESC LIMIT 1")}
  if true; then
    fresh_db "${BIG}_kill"
    start_relay "${BIG}_kill" "$PORT_SMALL"
    task=$(upload "$PORT_SMALL")
    while true; do
      p=$(status "$PORT_SMALL" "$task" | percent)
      [ "$p" -ge 50 ] && break; sleep 0.5
    done
    log "kill -9 at ${p} %"
    stop_relay "$PORT_SMALL" KILL
    t0=$(now)
    start_relay "${BIG}_kill" "$PORT_SMALL" resume
    while true; do
      s=$(status "$PORT_SMALL" "$task")
      case "$s" in *'"state":"SUCCESS"'*|*'"state":"FAILURE"'*) break;; esac
      sleep 1
    done
    log "  after restart: $(echo "$s" | summary) ($(echo "$(now) - $t0" | bc)s from the restart)"
    KILL_COUNTS=$(echo "$s" | counts)
    log "  counts inserted/updated/unchanged/rejected: clean $CLEAN_COUNTS, killed and resumed $KILL_COUNTS: $([ "$CLEAN_COUNTS" = "$KILL_COUNTS" ] && echo EQUAL || echo DIFFERENT)"
    log "  visits: clean $(psql -At -d "$BIG" -c 'select count(*) from fieldservice_visit'), resumed $(psql -At -d "${BIG}_kill" -c 'select count(*) from fieldservice_visit')"
    stop_relay "$PORT_SMALL"
    psql -q -d postgres -c "DROP DATABASE IF EXISTS ${BIG}_kill WITH (FORCE)"
  fi
fi

[ -n "${IMPORT_ONLY:-}" ] && exit 0

# 4. Reads at 1M and 10M, side by side.
start_relay "$SMALL" "$PORT_SMALL"
start_relay "$BIG" "$PORT_BIG"
log "visits: 1M db $(psql -At -d "$SMALL" -c 'select count(*) from fieldservice_visit'), 10M db $(psql -At -d "$BIG" -c 'select count(*) from fieldservice_visit'); load $(cut -d' ' -f1-3 /proc/loadavg)"
t() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "${@:3}" -H "Authorization: Bearer $TOKEN" "http://localhost:$1$2"; }
compare() { # $1 label, $2 path, $3.. extra curl arguments; READS=regex times only the matching labels
  local label=$1 path=$2; shift 2
  [[ -z "${READS:-}" || "$label" =~ $READS ]] || return 0
  for _ in 1 2; do t "$PORT_SMALL" "$path" "$@" >/dev/null; t "$PORT_BIG" "$path" "$@" >/dev/null; done
  : > "$OUT/s.txt"; : > "$OUT/b.txt"
  for _ in $(seq 1 "$ROUNDS"); do t "$PORT_SMALL" "$path" "$@" >> "$OUT/s.txt"; t "$PORT_BIG" "$path" "$@" >> "$OUT/b.txt"; done
  python3 - "$label" "$OUT/s.txt" "$OUT/b.txt" <<'PY' | tee -a "$RESULTS"
import sys
def stats(f):
    rows = [line.split() for line in open(f)]
    bad = sorted({code for code, _ in rows if code != "200"})
    v = sorted(float(t) * 1000 for _, t in rows)
    q = lambda p: v[min(len(v) - 1, int(round(p * (len(v) - 1))))]
    return q(0.5), q(0.99), bad
a, b = stats(sys.argv[2]), stats(sys.argv[3])
flag = "" if not (a[2] or b[2]) else f"  HTTP {a[2]} {b[2]}"
print(f"{sys.argv[1]:58s} {a[0]:8.1f} / {a[1]:7.1f}  {b[0]:8.1f} / {b[1]:7.1f}  {b[0] / a[0]:5.2f}x{flag}")
PY
}
header() { log ""; log "$1"; printf '%-58s %18s  %18s  %6s\n' "" "1M p50 / p99 ms" "10M p50 / p99 ms" "ratio" | tee -a "$RESULTS"; }

header "indicators"
compare "sla/angel (all time)" "/api/v1/indicators/sla/angel"
compare "sla/polo (all time)" "/api/v1/indicators/sla/polo"
compare "sla/angel 2021-07-15..2021-09-20" "/api/v1/indicators/sla/angel?start_date=2021-07-15&end_date=2021-09-20"
compare "sla/polo uf=SP Jul-Sep" "/api/v1/indicators/sla/polo?start_date=2021-07-01&end_date=2021-09-30&uf=SP"
compare "productivity/angel (all time)" "/api/v1/indicators/productivity/angel"
compare "productivity/angel Jul-Sep" "/api/v1/indicators/productivity/angel?start_date=2021-07-01&end_date=2021-09-30"
compare "productivity/angel one week" "/api/v1/indicators/productivity/angel?start_date=2021-08-02&end_date=2021-08-08"
compare "angel_productivity (seed)" "/api/v1/atendimento/angel_productivity?at_most=100"
compare "polo_productivity (seed)" "/api/v1/atendimento/polo_productivity?at_most=100"

urlq() { python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
ANGEL=$(urlq "$(psql -At -d "$SMALL" -c 'select name from fieldservice_angel order by id limit 1')")
POLO=$(urlq "$(psql -At -d "$SMALL" -c 'select name from fieldservice_polo order by id limit 1')")
CLIENT=$(psql -At -d "$SMALL" -c 'select id_cliente from fieldservice_visit order by id limit 1')
EXT=$(psql -At -d "$SMALL" -c 'select id_atendimento from fieldservice_visit order by id limit 1')
header "visit list, page 1 and page 1,000 (per_page 10, the seed's default)"
FILTERS=(
  "no filter|"
  "id_atendimento|id_atendimento=$EXT"
  "id_cliente|id_cliente=$CLIENT"
  "angel|angel=$ANGEL"
  "polo|polo=$POLO"
  "uf=SP|uf=SP"
  "status=PENDING|status=PENDING"
  "on_time=false|on_time=false"
  "data_limite Aug 2021|data_limite_from=2021-08-01&data_limite_to=2021-08-31"
  "data_de_atendimento one week|data_de_atendimento_from=2021-08-02&data_de_atendimento_to=2021-08-08"
)
for f in "${FILTERS[@]}"; do
  compare "${f%%|*}, page 1" "/api/v1/atendimento?${f#*|}"
  case "${f%%|*}" in id_atendimento|id_cliente|angel) ;; *) compare "${f%%|*}, page 1000" "/api/v1/atendimento?${f#*|}&page=1000";; esac
done
for order in id -id created_at -updated_at cliente_id angel -polo data_limite -data_de_atendimento; do
  compare "order_by=$order, page 1" "/api/v1/atendimento?order_by=$order"
  compare "order_by=$order, page 1000" "/api/v1/atendimento?order_by=$order&page=1000"
done
compare "angel + order_by=-data_limite, page 1" "/api/v1/atendimento?angel=$ANGEL&order_by=-data_limite"
compare "uf=SP + status=DONE + order_by=data_de_atendimento, page 1000" "/api/v1/atendimento?uf=SP&status=DONE&order_by=data_de_atendimento&page=1000"

# The console's field-service pages (server time is the round trip here: same host, no network).
header "console field-service pages"
JAR_S=$(mktemp); JAR_B=$(mktemp)
signin() { # $1 port, $2 cookie jar
  local csrf
  csrf=$(curl -s -c "$2" -b "$2" "http://localhost:$1/console/signin" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' | head -1)
  curl -s -o /dev/null -c "$2" -b "$2" --data-urlencode "token=$TOKEN" --data-urlencode "_csrf=$csrf" "http://localhost:$1/console/signin"
}
signin "$PORT_SMALL" "$JAR_S"; signin "$PORT_BIG" "$JAR_B"
tc() { local jar=$JAR_S; [ "$1" = "$PORT_BIG" ] && jar=$JAR_B; curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -b "$jar" "${@:3}" "http://localhost:$1$2"; }
t() { tc "$@"; }
compare "field page (all time, visits page 1)" "/console/field"
compare "field page, Jul-Sep with productivity" "/console/field?start_date=2021-07-01&end_date=2021-09-30"
compare "indicators fragment, UF SP, Jul-Sep" "/console/field/indicators?uf=SP&start_date=2021-07-01&end_date=2021-09-30" -H "HX-Request: true"
compare "visits fragment, DONE late by deadline desc, page 50" "/console/field/visits?status=DONE&on_time=false&order_by=-data_limite&page=50&per_page=25" -H "HX-Request: true"
compare "visits fragment, one polo" "/console/field/visits?polo=$POLO" -H "HX-Request: true"
compare "visits fragment, one angel" "/console/field/visits?angel=$ANGEL" -H "HX-Request: true"
rm -f "$JAR_S" "$JAR_B"
