#!/usr/bin/env bash
# Memory of the whole server with RULES active autopilot rules (default 10000) on the release build with SQLite: seeds
# a fresh data directory (deskpilot seed-autopilot: one rule per person, none planned yet), starts `deskpilot serve`,
# times the engine filing every rule's request after start-up, then reads the process's resident memory once it is
# idle. The same with no rules gives the baseline. SKIP_BUILD=1 reuses the build in SCRATCH_PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
RULES=${RULES:-10000} DESKS=${DESKS:-2000} PORT=${PORT:-18431} SCRATCH_PATH=${SCRATCH_PATH:-.build-release}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    swift build -c release --scratch-path "$SCRATCH_PATH" --product deskpilot
fi
binary="$SCRATCH_PATH/release/deskpilot"

# count <database> <sql>: one number from the SQLite file (read-only, while the server writes).
count() { python3 -c 'import sqlite3, sys; print(sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True).execute(sys.argv[2]).fetchone()[0])' "$1" "$2"; }
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
peak_mb() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

measure() {
    local rules=$1 data pid started elapsed filed logged
    data=$(mktemp -d)
    DESKPILOT_DATA_DIR="$data" LOG_LEVEL=warning "$binary" seed-autopilot --rules "$rules" --desks "$DESKS" | tail -1
    DESKPILOT_DATA_DIR="$data" DESKPILOT_HOST=127.0.0.1 DESKPILOT_PORT="$PORT" LOG_LEVEL=warning "$binary" serve >"$data/server.log" 2>&1 &
    pid=$!
    started=$(date +%s%N)
    filed=0 logged=0
    # The engine starts on the first job tick; give it at most 10 minutes.
    for _ in $(seq 6000); do
        filed=$(count "$data/deskpilot.sqlite" "SELECT COUNT(*) FROM allocation_requests" 2>/dev/null || echo 0)
        logged=$(count "$data/deskpilot.sqlite" "SELECT COUNT(*) FROM autopilot_log" 2>/dev/null || echo 0)
        [ "$filed" -ge "$rules" ] && [ "$logged" -ge "$rules" ] && break
        sleep 0.1
    done
    elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
    sleep 10  # idle: a few job ticks with nothing to do
    echo "rules $rules: $filed requests filed and $logged log entries written ${elapsed} ms after start; idle RSS $(rss_mb $pid) MB (peak $(peak_mb $pid) MB)"
    kill -TERM "$pid"
    wait "$pid" || true
    rm -rf "$data"
}

measure 0
measure "$RULES"
