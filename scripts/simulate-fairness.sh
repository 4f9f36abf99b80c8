#!/usr/bin/env bash
# Desk-days per person over WEEKS weeks for USERS people and DESKS desks (default 200, 100 and 8: 2× oversubscribed)
# under allocation rounds and first-come booking, as a Markdown table for docs/fairness.md. No database.
# SEED (default 2026) picks the history; PER_LOSS adds rounds with weight 1 + PER_LOSS × losses.
# SKIP_BUILD=1 reuses the build in SCRATCH_PATH (default .build-release).
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${USERS:-200} DESKS=${DESKS:-100} WEEKS=${WEEKS:-8} SEED=${SEED:-2026} SCRATCH_PATH=${SCRATCH_PATH:-.build-release}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    swift build -c release --scratch-path "$SCRATCH_PATH" --product deskpilot
fi
args=(simulate-fairness --users "$USERS" --desks "$DESKS" --weeks "$WEEKS" --seed "$SEED")
if [ -n "${PER_LOSS:-}" ]; then
    args+=(--per-loss "$PER_LOSS")
fi
LOG_LEVEL=warning "$SCRATCH_PATH/release/deskpilot" "${args[@]}"
