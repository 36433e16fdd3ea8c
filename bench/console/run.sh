#!/usr/bin/env bash
# Console page timings on the benchmark data sets: 20,000 leads (as bench/sales seeds them), 200 customers, and an
# inbox with a 5,000-message thread plus 200 other threads. Each page is fetched WARMUP times, then RUNS times with
# a signed-in session; curl's time_total on localhost is the server time plus a loopback round trip.
# Run from the repository root: bench/console/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-50}
WARMUP=${WARMUP:-20}
PORT=${PORT:-18088}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB=${DB:-relay_bench_console}
SEED_LEADS=${SEED_LEADS:-20000}
MESSAGES=${MESSAGES:-5000}
OUT=${OUT:-target/bench-console}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
export PGHOST PGPORT PGUSER

command -v psql >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }
[ -f target/relay.jar ] || ./mvnw -q -o -B package -DskipTests
mkdir -p "$OUT"
psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" 2>&1 | grep -v NOTICE || true

if ss -ltn | grep -q ":$PORT "; then echo "port $PORT is in use; set PORT" >&2; exit 1; fi
ADMIN=rly_bench-console-admin-$(date +%s)-0123456789abcdef
DATA_DIR=$(mktemp -d)
JAR=$(mktemp -d)
DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" SERVER_PORT=$PORT RELAY_ADMIN_TOKEN=$ADMIN \
  RELAY_DATA_DIR=$DATA_DIR "$JAVA" -Xmx1g -Drelay.rate-limit.enabled=false -jar target/relay.jar --logging.level.root=warn >"$OUT/app.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true; rm -rf "$DATA_DIR" "$JAR"' EXIT
for _ in $(seq 1 120); do
  kill -0 $APP 2>/dev/null || { echo "Relay did not start; see $OUT/app.log" >&2; exit 1; }
  curl -sf "http://localhost:$PORT/health" >/dev/null && break
  sleep 1
done

api() { curl -sf -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}"; }
TOKEN=$(api "$ADMIN" -X POST "http://localhost:$PORT/api/v1/tokens" -d '{"username":"bench1","roles":["SALES"]}' \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')
EMPLOYEE=$(api "$TOKEN" -X POST "http://localhost:$PORT/employees" \
  -d '{"name":"Bench Rep","email":"rep@bench.test","role":"SALES_REP"}' | sed -E 's/.*"id":([0-9]+).*/\1/')

psql -q -d "$DB" <<SQL
INSERT INTO sales_employee (name, email, role, created_at, updated_at)
SELECT 'Rep ' || g, 'rep' || g || '@bench.test', 'SALES_REP', now(), now() FROM generate_series(1, 49) g;
INSERT INTO sales_lead (name, contact_email, status, expected_revenue, currency, source, assigned_to, created_at, updated_at)
SELECT 'seed ' || g, 'seed' || g || '@bench.test',
       (ARRAY['New','Contacted','Qualified','Proposal','Negotiation','Won','Lost'])[1 + g % 7], g % 10000, 'USD',
       (ARRAY['web','fair','referral'])[1 + g % 3], $EMPLOYEE + g % 50, now() - (g % 365) * interval '1 day', now()
FROM generate_series(1, $SEED_LEADS) g;
INSERT INTO sales_customer (name, contact_email, signed_date, account_manager_id, lead_id, created_at, updated_at)
SELECT l.name, l.contact_email, current_date, l.assigned_to, l.id, now(), now()
FROM sales_lead l WHERE l.status = 'Won' ORDER BY l.id LIMIT 200;
INSERT INTO sales_lead_history (lead_id, at, username, action, changes)
SELECT l.id, now(), 'bench', 'created', '{"status": {"from": null, "to": "New"}}' FROM sales_lead l;
-- One long thread (bench1 and bench2) and 200 short ones for bench1's inbox.
INSERT INTO messaging_thread (id, created_at, created_by, last_seq, last_activity_at)
SELECT ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, now(), 'bench',
       CASE WHEN n = 1 THEN $MESSAGES ELSE 3 END, now() - n * interval '1 minute'
FROM generate_series(1, 201) n;
INSERT INTO messaging_participant (thread_id, username, position)
SELECT t.id, v.username, v.position FROM messaging_thread t
CROSS JOIN (VALUES ('bench1', 1), ('bench2', 2)) AS v(username, position);
INSERT INTO messaging_message (id, thread_id, seq, username, body, created_at)
SELECT gen_random_uuid(), t.id, s, CASE WHEN s % 2 = 0 THEN 'bench1' ELSE 'bench2' END,
       'message ' || s || ' of a long benchmark conversation', now()
FROM messaging_thread t CROSS JOIN LATERAL generate_series(1, t.last_seq) s;
ANALYZE;
SQL

LEAD=$(psql -tA -d "$DB" -c "SELECT id FROM sales_lead WHERE status = 'Won' ORDER BY id LIMIT 1")
CUSTOMER=$(psql -tA -d "$DB" -c "SELECT id FROM sales_customer ORDER BY id LIMIT 1")
LONG=00000000-0000-4000-8000-000000000001
BASE="http://localhost:$PORT"
JARFILE="$JAR/cookies"
CSRF=$(curl -sf -c "$JARFILE" -b "$JARFILE" "$BASE/console/signin" | sed -nE 's/.*name="_csrf" value="([^"]+)".*/\1/p')
curl -sf -o /dev/null -c "$JARFILE" -b "$JARFILE" --data-urlencode "token=$TOKEN" --data-urlencode "_csrf=$CSRF" "$BASE/console/signin"

measure() { # name path
  local url="$BASE$2" status
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$JARFILE" "$url")
  [ "$status" = 200 ] || { echo "$1: HTTP $status for $2" >&2; exit 1; }
  for _ in $(seq 1 "$WARMUP"); do curl -s -o /dev/null -b "$JARFILE" "$url"; done
  for _ in $(seq 1 "$RUNS"); do curl -s -o /dev/null -w '%{time_total}\n' -b "$JARFILE" "$url"; done \
    | sort -n | awk -v name="$1" '{a[NR]=$1*1000} END {
        printf "%-28s p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  (%d runs)\n", name, a[int(NR*0.5)], a[int(NR*0.95)], a[NR], NR }'
}

{
  echo "Console pages, $SEED_LEADS leads, $MESSAGES-message thread; $(nproc) cores; load: $(uptime | sed 's/.*load average: //')"
  measure "pipeline (all)"            "/console/pipeline"
  measure "pipeline (q=seed 1)"       "/console/pipeline?q=seed+1"
  measure "pipeline (assignee+range)" "/console/pipeline?assigned_to=$EMPLOYEE&created_from=2000-01-01&created_to=2100-01-01&source=web"
  measure "lead page"                 "/console/leads/$LEAD"
  measure "customers"                 "/console/customers"
  measure "customer page"             "/console/customers/$CUSTOMER"
  measure "employees"                 "/console/employees"
  measure "inbox (201 threads)"       "/console/inbox"
  measure "thread ($MESSAGES messages)" "/console/inbox/$LONG"
  measure "thread (earlier page)"     "/console/inbox/$LONG?before=2500"
} | tee "$OUT/pages.txt"
