#!/usr/bin/env bash
# Indicator timings at 100k vs 1M visits measured side by side: one Relay on each database left by run.sh (KEEP=1),
# requests alternating between the two so both see the same machine load.
#   KEEP=1 bench/fieldservice/run.sh && bench/fieldservice/indicators.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$ROOT/bench/out
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
JAVA=${JAVA:-java}
TOKEN=rly_bench-admin-token-0123456789abcdef
RESULTS=$OUT/fieldservice-indicators.txt
ROUNDS=${ROUNDS:-40}
: > "$RESULTS"
PIDS=()
start() { # $1 database, $2 port
  # Stale executions of an interrupted benchmark import would resume and skew the timings.
  psql -q -d "$1" -c "DELETE FROM scheduled_tasks WHERE task_name = 'fieldservice-csv-import'"
  DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$1" RELAY_ADMIN_TOKEN=$TOKEN SERVER_PORT=$2 \
    RELAY_DATA_DIR=$OUT/data "$JAVA" -Xmx512m -Drelay.rate-limit.enabled=false -jar target/relay.jar > "$OUT/relay-indicators-$1.log" 2>&1 &
  PIDS+=($!)
}
start relay_bench_fs_100k 18481
start relay_bench_fs_1m 18482
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
for port in 18481 18482; do
  for _ in $(seq 1 120); do curl -sf "http://localhost:$port/health" >/dev/null && break; sleep 0.5; done
done
echo "visits: 100k db $(psql -At -d relay_bench_fs_100k -c 'select count(*) from fieldservice_visit'), 1M db $(psql -At -d relay_bench_fs_1m -c 'select count(*) from fieldservice_visit')" | tee -a "$RESULTS"
for db in relay_bench_fs_100k relay_bench_fs_1m; do
  echo "$db summaries: day $(psql -At -d $db -c 'select count(*) from fieldservice_visit_day'), month $(psql -At -d $db -c 'select count(*) from fieldservice_visit_month'), polo/weekday $(psql -At -d $db -c 'select count(*) from fieldservice_polo_weekday')" | tee -a "$RESULTS"
done
ENDPOINTS=(
  "sla/angel (all time)|/api/v1/indicators/sla/angel"
  "sla/polo (all time)|/api/v1/indicators/sla/polo"
  "sla/angel 2021-07-15..2021-09-20|/api/v1/indicators/sla/angel?start_date=2021-07-15&end_date=2021-09-20"
  "sla/polo uf=SP Jul-Sep|/api/v1/indicators/sla/polo?start_date=2021-07-01&end_date=2021-09-30&uf=SP"
  "productivity/angel Jul-Sep|/api/v1/indicators/productivity/angel?start_date=2021-07-01&end_date=2021-09-30"
  "productivity/angel one week|/api/v1/indicators/productivity/angel?start_date=2021-08-02&end_date=2021-08-08"
  "angel_productivity (seed)|/api/v1/atendimento/angel_productivity?at_most=100"
  "polo_productivity (seed)|/api/v1/atendimento/polo_productivity?at_most=100"
)
t() { curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "http://localhost:$1$2"; }
printf '%-36s %22s %22s %8s\n' endpoint "100k p50 / p99 ms" "1M p50 / p99 ms" "p50 1M/100k" | tee -a "$RESULTS"
for e in "${ENDPOINTS[@]}"; do
  label=${e%%|*}; path=${e#*|}
  for _ in 1 2 3; do t 18481 "$path" >/dev/null; t 18482 "$path" >/dev/null; done
  : > "$OUT/a.txt"; : > "$OUT/b.txt"
  for _ in $(seq 1 "$ROUNDS"); do t 18481 "$path" >> "$OUT/a.txt"; t 18482 "$path" >> "$OUT/b.txt"; done
  python3 - "$label" "$OUT/a.txt" "$OUT/b.txt" <<'PY' | tee -a "$RESULTS"
import sys
def stats(f):
    v = sorted(float(x) * 1000 for x in open(f))
    q = lambda p: v[min(len(v) - 1, int(round(p * (len(v) - 1))))]
    return q(0.5), q(0.99)
a, b = stats(sys.argv[2]), stats(sys.argv[3])
print(f"{sys.argv[1]:36s} {a[0]:9.1f} / {a[1]:8.1f}   {b[0]:9.1f} / {b[1]:8.1f}   {b[0] / a[0]:6.2f}x")
PY
done
