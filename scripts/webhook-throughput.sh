#!/usr/bin/env bash
# Webhook sender throughput: DELIVERIES (default 10000) signed deliveries, 32 in flight, to the Python receiver in
# Tests/support/webhook_receiver.py on loopback, which verifies every signature. Runs the sender test that checks
# parallel deliveries with the count raised and prints its line "webhook deliveries: N in S s, R/s".
# The target is under 60 s for 10,000. CONFIGURATION=release measures the optimised build (slower to compile).
set -euo pipefail
cd "$(dirname "$0")/.."
DELIVERIES=${DELIVERIES:-10000} CONFIGURATION=${CONFIGURATION:-debug}
DESKPILOT_WEBHOOK_DELIVERIES="$DELIVERIES" swift test -c "$CONFIGURATION" --disable-xctest \
    --filter 'WebhookSenderTests/manyInParallel' 2>&1 | grep -E "webhook deliveries:|passed|failed|error"
