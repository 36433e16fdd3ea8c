#!/usr/bin/env bash
# The HTTP exchange of a webhook delivery alone, without Relay or PostgreSQL: CPU per delivery of a client made like
# Relay's delivery job and of bench/webhooks/Receiver.java, at RATE (1000) deliveries a second for DURATION (20) s after WARMUP (30) s.
# The floor under the webhooks benchmark's "effect on create-lead" on a machine whose cores the receiver shares.
# Run from the repository root: bench/webhooks/exchange.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${RATE:-1000}
DURATION=${DURATION:-20}
RECEIVER_PORT=${RECEIVER_PORT:-18095}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)/bin/java}
CP=$(mktemp)
./mvnw -q -B dependency:build-classpath -Dmdep.includeGroupIds=org.apache.httpcomponents.client5,org.apache.httpcomponents.core5,org.slf4j -Dmdep.outputFile="$CP" >/dev/null
"$JAVA" bench/webhooks/Receiver.java "$RECEIVER_PORT" >/dev/null 2>&1 &
RECEIVER=$!
trap 'kill $RECEIVER 2>/dev/null; rm -f "$CP"' EXIT
until curl -sf -X POST "http://127.0.0.1:$RECEIVER_PORT/reset" >/dev/null; do sleep 0.2; done
"$JAVA" -cp "$(cat "$CP")" bench/webhooks/Exchange.java "http://127.0.0.1:$RECEIVER_PORT/hook" "$RATE" "$RECEIVER" "$DURATION" "${WARMUP:-30}"
