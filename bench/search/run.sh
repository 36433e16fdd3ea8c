#!/usr/bin/env bash
# GET /api/v1/search latency per query kind at two scales measured side by side: SCALE=1M is 1M visits, 1M messages,
# 100k leads + 100k customers; the small database is a tenth of each. One Relay per database, requests alternating
# between the two so both see the same machine load; p50 / p99 over ROUNDS requests after 3 warm-up rounds. The
# first line is the floor: an authenticated request that searches nothing, to read the others against the load.
#   bench/search/run.sh            (needs target/relay.jar: ./mvnw -Pquick package -DskipTests -Dskip.jacoco)
# PostgreSQL: the machine's server (PGHOST/PGPORT/PGUSER, default 127.0.0.1:5432 postgres); databases are rebuilt
# unless KEEP_DATA=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=$ROOT/bench/out
mkdir -p "$OUT"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}
JAVA=${JAVA:-java}
TOKEN=rly_bench-admin-token-0123456789abcdef
ROUNDS=${ROUNDS:-100}
RESULTS=$OUT/search.txt
: > "$RESULTS"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT

start() { # $1 database, $2 port
  DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$1" RELAY_ADMIN_TOKEN=$TOKEN SERVER_PORT=$2 \
    RELAY_DATA_DIR=$OUT/data-search-$2 "$JAVA" -Xmx512m -Drelay.rate-limit.enabled=false -jar target/relay.jar \
    > "$OUT/relay-search-$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 240); do curl -sf "http://localhost:$2/health" >/dev/null && return; sleep 0.5; done
  echo "Relay on $2 did not start" >&2; exit 1
}

fill() { # $1 database, $2 visits = messages, leads = customers = $2 / 10
  psql -q -v ON_ERROR_STOP=1 -d "$1" -v n="$2" <<'SQL'
\set words '''{orcamento,preço,instalação,entrega,reunião,contrato,pagamento,parcela,visita,técnico,cliente,proposta,desconto,garantia,suporte,amanhã,ontem,semana,confirmado,pendente,atrasado,urgente,obrigado,combinado,valor,nota,fiscal,boleto,pix,endereço}'''
\set firsts '''{Maria,João,José,Ana,Francisco,Antônia,Carlos,Paulo,Pedro,Lucas,Luiz,Marcos,Luís,Gabriel,Rafael,Daniel,Márcia,Juliana,Fernanda,Patrícia}'''
\set lasts '''{Silva,Santos,Oliveira,Souza,Rodrigues,Ferreira,Alves,Pereira,Lima,Gomes,Costa,Ribeiro,Martins,Carvalho,Almeida,Lopes,Soares,Fernandes,Vieira,Barbosa}'''
INSERT INTO sales_employee (name, email, role, created_at, updated_at)
SELECT 'Employee ' || i, 'employee' || i || '@relay.test', 'SALES_REP', now(), now() FROM generate_series(1, 100) i;
INSERT INTO sales_lead (name, contact_email, status, currency, assigned_to, created_at, updated_at)
SELECT (:firsts::text[])[1 + i % 20] || ' ' || (:lasts::text[])[1 + (i / 20) % 20] || ' ' || i,
       lower(unaccent((:firsts::text[])[1 + i % 20])) || '.' || i || '@' || (ARRAY['acme','beta','gama','delta'])[1 + i % 4] || '.test',
       'New', 'BRL', (SELECT min(id) FROM sales_employee) + i % 100, now(), now()
FROM generate_series(1, :n / 10) i;
INSERT INTO sales_customer (name, contact_email, phone_number, signed_date, account_manager_id, created_at, updated_at)
SELECT (:lasts::text[])[1 + i % 20] || ' ' || (:firsts::text[])[1 + (i / 20) % 20] || ' Ltda ' || i,
       'contato' || i || '@cliente' || (i % 1000) || '.test', '+55 11 9' || lpad((i * 7919 % 100000000)::text, 8, '0'),
       DATE '2024-01-01' + i % 365, (SELECT min(id) FROM sales_employee) + i % 100, now(), now()
FROM generate_series(1, :n / 10) i;
INSERT INTO messaging_thread (id, created_at, created_by, last_seq, last_activity_at)
SELECT md5('t' || i)::uuid, now(), 'user' || i % 1000, 100, now() FROM generate_series(1, :n / 100) i;
INSERT INTO messaging_participant (thread_id, username, position)
SELECT md5('t' || i)::uuid, 'user' || (i + k * 37) % 1000, k FROM generate_series(1, :n / 100) i, generate_series(0, 1) k;
INSERT INTO messaging_message (id, thread_id, seq, username, body, created_at)
SELECT md5('m' || i)::uuid, md5('t' || (1 + i % (:n / 100)))::uuid, 1 + i / (:n / 100), 'user' || i % 1000,
       array_to_string(ARRAY[(:words::text[])[1 + i % 30], (:words::text[])[1 + (i / 30) % 30],
                             (:words::text[])[1 + (i / 900) % 30], (:firsts::text[])[1 + (i / 7) % 20],
                             (:words::text[])[1 + (i * 7) % 30], 'R$ ' || (i % 5000), (:words::text[])[1 + (i * 13) % 30]], ' '),
       now() - make_interval(secs => i)
FROM generate_series(0, :n - 1) i;
INSERT INTO fieldservice_angel (name) SELECT (:firsts::text[])[1 + i % 20] || ' ' || (:lasts::text[])[1 + i / 20] FROM generate_series(0, 199) i;
INSERT INTO fieldservice_polo (name, uf) SELECT 'SP - POLO ' || i, 'SP' FROM generate_series(1, 50) i;
INSERT INTO fieldservice_visit (id_atendimento, id_cliente, angel_id, polo_id, data_limite, status, created_at, updated_at)
SELECT i, 1 + i % 570000, (SELECT min(id) FROM fieldservice_angel) + i % 200, (SELECT min(id) FROM fieldservice_polo) + i % 50,
       DATE '2020-01-01' + i % 1000, 'PENDING', now(), now()
FROM generate_series(1, :n) i;
VACUUM ANALYZE;
SQL
}

for pair in "relay_bench_search_small:$(( ${SCALE:-1000000} / 10 ))" "relay_bench_search_large:${SCALE:-1000000}"; do
  db=${pair%%:*}; n=${pair#*:}
  if [ "${KEEP_DATA:-0}" != 1 ]; then
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    start "$db" 18791 # migrates the empty database
    kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'
    SECONDS=0
    fill "$db" "$n"
    echo "$db: $n visits and messages, $(( n / 10 )) leads and customers, filled in ${SECONDS} s" | tee -a "$RESULTS"
  fi
done
start relay_bench_search_small 18791
start relay_bench_search_large 18792
SERVICE=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"username":"bench-service","roles":["MESSAGING_SERVICE"]}' localhost:18792/api/v1/tokens | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
SERVICE_SMALL=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"username":"bench-service","roles":["MESSAGING_SERVICE"]}' localhost:18791/api/v1/tokens | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
USER=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"username":"user7","roles":["SALES"]}' localhost:18792/api/v1/tokens | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
USER_SMALL=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"username":"user7","roles":["SALES"]}' localhost:18791/api/v1/tokens | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

QUERIES=(
  "admin|floor: GET /employees?limit=1, no search|/employees?limit=1"
  "admin|all types, a name word (maria)|q=maria"
  "admin|accent-free name (joao silva)|q=joao%20silva"
  "admin|one-letter typo (Olivera)|q=Olivera&types=lead,customer,employee"
  "admin|e-mail fragment (maria.12@acme)|q=maria.12%40acme&types=lead"
  "admin|phone digits (91234)|q=91234&types=customer"
  "service|message word, every thread (orcamento)|q=orcamento&types=message"
  "user|message words, own threads (entrega urgente)|q=entrega%20urgente&types=message"
  "admin|visit by client id (4711)|q=4711&types=visit"
  "admin|visits by angel name (Ana Silva)|q=Ana%20Silva&types=visit"
)
t() { # $1 token, $2 port, $3 search parameters or a path of its own
  local url="http://localhost:$2/api/v1/search?$3"
  [[ $3 == /* ]] && url="http://localhost:$2$3"
  curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $1" "$url"
}
token() { case $1 in admin) echo "$TOKEN $TOKEN" ;; service) echo "$SERVICE_SMALL $SERVICE" ;; user) echo "$USER_SMALL $USER" ;; esac; }
# JIT warm-up over every kind first, so the first kind measured is not the one paying for it
for e in "${QUERIES[@]}"; do
  read -r a b <<< "$(token "${e%%|*}")"; query=${e##*|}
  for _ in 1 2 3 4 5; do t "$a" 18791 "$query" >/dev/null; t "$b" 18792 "$query" >/dev/null; done
done
printf '%-50s %22s %22s %8s\n' query "small p50 / p99 ms" "large p50 / p99 ms" "p50 L/S" | tee -a "$RESULTS"
for e in "${QUERIES[@]}"; do
  who=${e%%|*}; rest=${e#*|}; label=${rest%%|*}; query=${rest#*|}
  read -r a b <<< "$(token "$who")"
  for _ in 1 2 3; do t "$a" 18791 "$query" >/dev/null; t "$b" 18792 "$query" >/dev/null; done
  : > "$OUT/s.txt"; : > "$OUT/l.txt"
  for _ in $(seq 1 "$ROUNDS"); do t "$a" 18791 "$query" >> "$OUT/s.txt"; t "$b" 18792 "$query" >> "$OUT/l.txt"; done
  python3 - "$label" "$OUT/s.txt" "$OUT/l.txt" <<'PY' | tee -a "$RESULTS"
import sys
def stats(f):
    v = sorted(float(x) * 1000 for x in open(f))
    q = lambda p: v[min(len(v) - 1, int(round(p * (len(v) - 1))))]
    return q(0.5), q(0.99)
a, b = stats(sys.argv[2]), stats(sys.argv[3])
print(f"{sys.argv[1]:50s} {a[0]:9.1f} / {a[1]:8.1f}   {b[0]:9.1f} / {b[1]:8.1f}   {b[0] / a[0]:6.2f}x")
PY
done
curl -s -H "Authorization: Bearer $TOKEN" "http://localhost:18792/api/v1/search?q=maria&limit=3" | head -c 600 | tee -a "$RESULTS"; echo
