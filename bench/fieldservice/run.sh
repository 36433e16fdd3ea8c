#!/usr/bin/env bash
# Field service import and indicator benchmark (not part of the test suite).
#   bench/fieldservice/run.sh            # from the repository root; ~5 minutes on 2 cores
# Needs a PostgreSQL server (default: the local one at 127.0.0.1:5432, user postgres, trust); override with PGHOST,
# PGPORT, PGUSER, PGPASSWORD. Writes raw figures to bench/out/fieldservice-results.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$ROOT/bench/out
mkdir -p "$OUT"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
command -v psql >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }

ROWS=${ROWS:-1048575}
[ -f "$OUT/bd_1m.csv" ] || python3 bench/fieldservice/generate.py "$OUT/bd_1m.csv" "$ROWS"
head -100001 "$OUT/bd_1m.csv" > "$OUT/bd_100k.csv"
[ -f target/relay.jar ] && [ -z "${REBUILD:-}" ] || ./mvnw -o -q -B -DskipTests -DskipITs package

# Relay needs Java 25: JAVA env, else a JDK 25 under /usr/lib/jvm, else java on the PATH.
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
JAVA=${JAVA:-java}
# Override PORT and DB (database name prefix) when another checkout runs this benchmark on the same machine.
PORT=${PORT:-18480}
DB=${DB:-relay_bench_fs}
TOKEN=rly_bench-admin-token-0123456789abcdef
RESULTS=$OUT/fieldservice-results.txt
: > "$RESULTS"
log() { echo "$*" | tee -a "$RESULTS"; }
# (inside import_file, log goes to stderr so that only the timings reach the caller)
now() { date +%s.%N; }

start_relay() { # $1 = database name
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
  DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$1?reWriteBatchedInserts=true" RELAY_ADMIN_TOKEN=$TOKEN \
    SERVER_PORT=$PORT RELAY_DATA_DIR=$OUT/data "$JAVA" -Xmx512m -Xms512m ${JAVA_OPTS:-} -Drelay.rate-limit.enabled=false -jar target/relay.jar > "$OUT/relay-$1.log" 2>&1 &
  RELAY_PID=$!
  # A loaded machine can need well over a minute; on failure stop this Relay, so a later run cannot reuse its port.
  for _ in $(seq 1 $(( ${STARTUP_TIMEOUT:-180} * 2 ))); do
    curl -sf "http://localhost:$PORT/health" >/dev/null && return 0; sleep 0.5
  done
  echo "Relay did not start; see $OUT/relay-$1.log"; stop_relay; exit 1
}
stop_relay() { [ -n "${RELAY_PID:-}" ] || return 0; kill "$RELAY_PID" 2>/dev/null; wait "$RELAY_PID" 2>/dev/null || true; RELAY_PID=; }
trap stop_relay EXIT

# The floor of the import's table write (issue 17): the rows the import wrote (ids, angel/polo/client ids, dates;
# already resolved), sorted by id, loaded by psql COPY into an empty copy of the visit table with all its indexes and
# constraints, in one transaction. Sets FLOOR_BINARY and FLOOR_TEXT (seconds). $1 = database.
floor() {
  local cols t0 t1
  cols=$(psql -At -d "$1" -c "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = 'fieldservice_visit' AND is_generated = 'NEVER'")
  psql -q -d "$1" -c "\\copy (SELECT $cols FROM fieldservice_visit ORDER BY id) TO '$OUT/floor-$1.bin' WITH (FORMAT binary)"
  psql -q -d "$1" -c "\\copy (SELECT $cols FROM fieldservice_visit ORDER BY id) TO '$OUT/floor-$1.txt'"
  for format in binary text; do
    psql -q -d "$1" -c "DROP TABLE IF EXISTS bench_floor" -c "CREATE TABLE bench_floor (LIKE fieldservice_visit INCLUDING ALL)" \
      -c "CHECKPOINT"
    local file=$OUT/floor-$1.bin opts="WITH (FORMAT binary)"
    [ $format = text ] && file=$OUT/floor-$1.txt opts=""
    t0=$(now)
    psql -q -1 -d "$1" -c "\\copy bench_floor ($cols) FROM '$file' $opts"
    t1=$(now)
    if [ $format = binary ]; then FLOOR_BINARY=$(echo "$t1 - $t0" | bc); else FLOOR_TEXT=$(echo "$t1 - $t0" | bc); fi
  done
  log "  floor: psql COPY of the $(psql -At -d "$1" -c 'SELECT count(*) FROM bench_floor') resolved rows, sorted, into an empty copy of the visit table (all indexes and constraints), one transaction: binary ${FLOOR_BINARY}s, text ${FLOOR_TEXT}s"
  psql -q -d "$1" -c "DROP TABLE bench_floor"
  rm -f "$OUT/floor-$1.bin" "$OUT/floor-$1.txt"
}

import_file() { # $1 = file; prints seconds upload, seconds total
  local t0 t1 t2 task state
  t0=$(now)
  task=$(curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/csv" --data-binary "@$1" \
    "http://localhost:$PORT/api/v1/atendimento/import_csv" | python3 -c 'import json,sys; print(json.load(sys.stdin)["task_id"])')
  t1=$(now)
  while true; do
    state=$(curl -sf -H "Authorization: Bearer $TOKEN" "http://localhost:$PORT/api/v1/atendimento/task_status/$task")
    case "$state" in *'"state":"SUCCESS"'*|*'"state":"FAILURE"'*) break;; esac
    sleep 0.2
  done
  t2=$(now)
  log >&2 "  status: $(echo "$state" | python3 -c 'import json,sys; s=json.load(sys.stdin); r=s["result"]; print(s["state"], "rows", r["total_rows"], "inserted", r["inserted"], "updated", r["updated"], "unchanged", r["unchanged"], "rejected", r["rejected"])')"
  echo "$(echo "$t1 - $t0" | bc) $(echo "$t2 - $t0" | bc)"
}

time_endpoint() { # $1 = label, $2 = path; 30 sequential requests after 3 warm-ups: p50 / p99 / mean in ms
  local times=()
  for i in $(seq 1 33); do
    t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://localhost:$PORT$2")
    [ "$i" -gt 3 ] && times+=("$t")
  done
  printf '%s\n' "${times[@]}" | python3 -c "
import sys
v = sorted(float(x) * 1000 for x in sys.stdin)
p = lambda q: v[min(len(v) - 1, int(round(q * (len(v) - 1))))]
print(f'  $1: p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, mean {sum(v)/len(v):.1f} ms')" | tee -a "$RESULTS"
}

ENDPOINTS=(
  "sla/angel|/api/v1/indicators/sla/angel"
  "sla/polo|/api/v1/indicators/sla/polo"
  "sla/angel Jul-Sep|/api/v1/indicators/sla/angel?start_date=2021-07-01&end_date=2021-09-30"
  "productivity/angel Jul-Sep|/api/v1/indicators/productivity/angel?start_date=2021-07-01&end_date=2021-09-30"
  "productivity/angel one week|/api/v1/indicators/productivity/angel?start_date=2021-08-02&end_date=2021-08-08"
  "angel_productivity|/api/v1/atendimento/angel_productivity?at_most=100"
  "polo_productivity|/api/v1/atendimento/polo_productivity?at_most=100"
)

log "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, $(psql -At -d postgres -c 'select version()' | cut -d, -f1)"
log "file: $(wc -l < "$OUT/bd_1m.csv") lines, $(du -m "$OUT/bd_1m.csv" | cut -f1) MB"

# 1. 100k rows: import, then indicator timings.
start_relay ${DB}_100k
log "100k import:"
read -r up total < <(import_file "$OUT/bd_100k.csv")
log "  upload ${up}s, total ${total}s"
psql -q -d ${DB}_100k -c "VACUUM ANALYZE"
log "  summary rows: $(psql -At -d ${DB}_100k -c 'select count(*) from fieldservice_visit_day')"
log "indicators at 100k:"
for e in "${ENDPOINTS[@]}"; do time_endpoint "${e%%|*}" "${e#*|}"; done
stop_relay

# 2. 1M rows: baseline \copy into a bare staging table, then Relay's full import, same database, same run.
start_relay ${DB}_1m
# One text column per line: the generated file has rows with a wrong field count (as bad rows do), which COPY with
# six columns would refuse; this loads the same bytes with no parsing at all, so the baseline errs on the fast side.
psql -q -d ${DB}_1m -c "CREATE TABLE bench_stage (line text)"
log "  load average before the baseline: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(now)
psql -q -d ${DB}_1m -c "\\copy bench_stage FROM '$OUT/bd_1m.csv' WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02', HEADER)"
t1=$(now)
BASE=$(echo "$t1 - $t0" | bc)
log "baseline psql \\copy of 1M rows into a bare staging table: ${BASE}s ($(psql -At -d ${DB}_1m -c 'select count(*) from bench_stage') rows)"
psql -q -d ${DB}_1m -c "DROP TABLE bench_stage"
log "  load average before the import: $(cut -d' ' -f1-3 /proc/loadavg)"
log "1M import (heap capped at 512 MB):"
read -r up total < <(import_file "$OUT/bd_1m.csv")
log "  upload ${up}s, total ${total}s, ratio to baseline $(echo "scale=2; $total / $BASE" | bc)x"
# The job logs its timings just after it reports SUCCESS: wait for the line (without it grep fails and set -e ends
# the whole run).
for _ in $(seq 1 50); do grep -q "finished in" "$OUT/relay-${DB}_1m.log" && break; sleep 0.2; done
{ grep -o "Import .* finished in .*" "$OUT/relay-${DB}_1m.log" || true; } | tail -1 | sed 's/^/  /' | tee -a "$RESULTS"
log "  load average after the import: $(cut -d' ' -f1-3 /proc/loadavg)"
log "  JVM RSS after import: $(ps -o rss= -p "$RELAY_PID" | awk '{printf "%d MB", $1/1024}')"
floor ${DB}_1m
log "  ratio to the floor (binary): $(echo "scale=2; $total / $FLOOR_BINARY" | bc)x (target <= 1.5x); to the bare-table copy: $(echo "scale=2; $total / $BASE" | bc)x"
psql -q -d ${DB}_1m -c "VACUUM ANALYZE"
log "  summary rows: $(psql -At -d ${DB}_1m -c 'select count(*) from fieldservice_visit_day')"
log "indicators at 1M:"
for e in "${ENDPOINTS[@]}"; do time_endpoint "${e%%|*}" "${e#*|}"; done
log "re-import of the same 1M file (idempotency):"
read -r up total < <(import_file "$OUT/bd_1m.csv")
log "  upload ${up}s, total ${total}s, ratio to the floor (binary) $(echo "scale=2; $total / $FLOOR_BINARY" | bc)x (target <= 1.0x)"
stop_relay
[ -n "${KEEP:-}" ] && exit 0  # keep both databases for indicators.sh
psql -q -d postgres -c "DROP DATABASE IF EXISTS ${DB}_100k WITH (FORCE)" -c "DROP DATABASE IF EXISTS ${DB}_1m WITH (FORCE)"
