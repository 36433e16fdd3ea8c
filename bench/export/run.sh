#!/usr/bin/env bash
# CSV export of 1,048,575 visits (GET /api/v1/atendimento, Accept: text/csv) by a Relay with a 256 MB heap, against
# psql \copy of the same columns to a file, in the same run, ROUNDS times each (the first Relay run is JIT warm-up).
#   bench/export/run.sh            (needs target/relay.jar: ./mvnw -Pquick package -DskipTests -Dskip.jacoco)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$ROOT/bench/out
mkdir -p "$OUT"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
JAVA=${JAVA:-java}
TOKEN=rly_bench-admin-token-0123456789abcdef
ROWS=${ROWS:-1048575}
ROUNDS=${ROUNDS:-4}
DB=relay_bench_export
PORT=18593
RESULTS=$OUT/export.txt
: > "$RESULTS"
psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$DB" RELAY_ADMIN_TOKEN=$TOKEN SERVER_PORT=$PORT \
  RELAY_DATA_DIR=$OUT/data-export "$JAVA" -Xmx256m -XX:+UseSerialGC -Xlog:gc:file="$OUT/export-gc.log" \
  -jar target/relay.jar > "$OUT/relay-export.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -sf "http://localhost:$PORT/health" >/dev/null && break; sleep 0.5; done
psql -q -v ON_ERROR_STOP=1 -d $DB -v n="$ROWS" <<'SQL'
INSERT INTO fieldservice_angel (name) SELECT 'Angel ' || n FROM generate_series(1, 200) n;
INSERT INTO fieldservice_polo (name, uf) SELECT 'SP - POLO ' || n, 'SP' FROM generate_series(1, 50) n;
INSERT INTO fieldservice_visit (id_atendimento, id_cliente, angel_id, polo_id, data_limite, data_de_atendimento, status,
                                created_at, updated_at)
SELECT n, 1 + n % 570000, (SELECT min(id) FROM fieldservice_angel) + n % 200, (SELECT min(id) FROM fieldservice_polo) + n % 50,
       DATE '2020-01-01' + (n % 1000), TIMESTAMP '2020-01-01 10:00' + make_interval(days => (n * 7) % 1000), 'DONE',
       now(), now()
FROM generate_series(1, :n) n;
VACUUM ANALYZE fieldservice_visit;
SQL
COPY_SQL="SELECT v.id, v.id_atendimento, v.id_cliente AS cliente_id, v.id_cliente, a.name AS angel, p.name AS polo, p.uf,
  v.data_limite, v.data_de_atendimento, v.status, v.status = 'DONE' AND v.data_de_atendimento::date <= v.data_limite AS on_time,
  v.created_at, v.updated_at FROM fieldservice_visit v JOIN fieldservice_angel a ON a.id = v.angel_id
  JOIN fieldservice_polo p ON p.id = v.polo_id WHERE v.deleted_at IS NULL ORDER BY v.id"
echo "rows: $ROWS, Relay -Xmx256m -XX:+UseSerialGC, $(nproc) cores" | tee -a "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  relay=$( { /usr/bin/time -f '%e' curl -sf -o "$OUT/export.csv" -H "Authorization: Bearer $TOKEN" \
    -H 'Accept: text/csv' "http://localhost:$PORT/api/v1/atendimento?order_by=id"; } 2>&1 )
  copy=$( { /usr/bin/time -f '%e' psql -q -d $DB -c "\\copy ($COPY_SQL) TO '$OUT/copy.csv' WITH (FORMAT csv, HEADER)"; } 2>&1 )
  lines=$(wc -l < "$OUT/export.csv")
  printf 'round %d: relay %6.2f s (%d lines, %d bytes)  psql \\copy %6.2f s (%d bytes)  ratio %.2fx  relay RSS %d MB\n' \
    "$round" "$relay" "$lines" "$(stat -c %s "$OUT/export.csv")" "$copy" "$(stat -c %s "$OUT/copy.csv")" \
    "$(python3 -c "print($relay / $copy)")" "$(( $(ps -o rss= -p $PID) / 1024 ))" | tee -a "$RESULTS"
done
grep -c 'OutOfMemoryError' "$OUT/relay-export.log" | sed 's/^/OutOfMemoryError lines in the log: /' | tee -a "$RESULTS" || true
