#!/usr/bin/env bash
# One allocation round of REQUESTS requests over DESKS desks (default 10000 and 2000), persistence included, on the
# release build with SQLite: RUNS runs (default 5), each in a fresh data directory, then the median.
# SKIP_BUILD=1 reuses the build in SCRATCH_PATH (default .build-release).
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${REQUESTS:-10000} DESKS=${DESKS:-2000} RUNS=${RUNS:-5} SCRATCH_PATH=${SCRATCH_PATH:-.build-release}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    swift build -c release --scratch-path "$SCRATCH_PATH" --product deskpilot
fi
binary="$SCRATCH_PATH/release/deskpilot"
times=()
for run in $(seq "$RUNS"); do
    data=$(mktemp -d)
    line=$(DESKPILOT_DATA_DIR="$data" LOG_LEVEL=warning "$binary" bench-round --requests "$REQUESTS" --desks "$DESKS" | tail -1)
    rm -rf "$data"
    echo "run $run: $line"
    times+=("$(sed -E 's/.*: ([0-9.]+) ms.*/\1/' <<<"$line")")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median of %d runs: %.1f ms\n", NR, a[int((NR + 1) / 2)] }'
