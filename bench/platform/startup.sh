#!/usr/bin/env bash
# Start-up to ready (/health answers 200) of the packaged jar, on an empty and on an existing data directory.
# Usage: bench/platform/startup.sh [runs]   (builds target/relay.jar if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
[ -f target/relay.jar ] || ./mvnw -q -B -DskipTests package
java=""
for home in /usr/lib/jvm/*; do
  if [ -f "$home/release" ] && grep -Eq '^JAVA_VERSION="(2[5-9])' "$home/release"; then java="$home/bin/java"; break; fi
done
[ -n "$java" ] || { echo "no JDK 25 under /usr/lib/jvm" >&2; exit 1; }
port=18977
measure() { # $1 = data dir; prints milliseconds to ready
  local start end pid
  start=$(date +%s%N)
  RELAY_DATA_DIR="$1" SERVER_PORT=$port RELAY_ADMIN_TOKEN=bench-admin-token-0123456789abcdef \
    "$java" -jar target/relay.jar > "$1.log" 2>&1 &
  pid=$!
  until curl -sf "localhost:$port/health" > /dev/null; do sleep 0.05; done
  end=$(date +%s%N)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
for i in $(seq 1 "$runs"); do
  empty=$(measure "$work/empty-$i")
  existing=$(measure "$work/empty-$i")
  echo "run $i: empty data dir ${empty} ms, existing data dir ${existing} ms"
done
