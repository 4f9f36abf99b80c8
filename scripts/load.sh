#!/usr/bin/env bash
# Measures throughput and latency of a local DeskPilot server for one load scenario.
# scripts/load-bookings.sh, scripts/load-availability.sh and scripts/load-fanout.sh set
# SCENARIO and run this.
#
# Builds the release binaries, starts `deskpilot serve` on 127.0.0.1 with a fresh
# temporary data directory, runs `deskpilot-load --scenario $SCENARIO` once per
# concurrency level (fanout: once per client count) and prints the results. With
# DATABASE_URL set, the server uses that database instead of SQLite in the temporary
# directory.
#
# Environment:
#   SCENARIO         bookings (POST /api/v1/bookings), availability
#                    (GET /api/v1/rooms/{id}/availability) or fanout (WebSocket
#                    clients on GET /api/v1/ws following one room); default bookings
#   PORT             server port (default 8099)
#   CONCURRENCY      space-separated concurrency levels (default "1 16 64")
#   DURATION         measured seconds per run (default 10)
#   WARMUP           unrecorded seconds before each run (default 2)
#   CLIENTS          fanout: space-separated WebSocket client counts (default "1000 5000")
#   ROUNDS           fanout: recorded bookings per run (default 20)
#   WARMUP_ROUNDS    fanout: unrecorded bookings before them (default 2)
#   INTERVAL_MS      fanout: pause between bookings in ms (default 300)
#   NOFILE           fanout: open-file limit for the server and the tool (default 65536;
#                    each client holds one socket in the tool and one in the server)
#   TIMEZONE         time zone of the created locations (default UTC)
#   ADMIN_PASSWORD   password of the bootstrap administrator (default generated)
#   BCRYPT_COST      server bcrypt cost; low to keep user setup quick (default 4)
#   SCRATCH_PATH     build directory passed to swift build --scratch-path (default .build)
#   SKIP_BUILD=1     use already built release binaries
#   BIN_DIR          directory holding deskpilot and deskpilot-load (implies SKIP_BUILD=1)
#   RESULTS_FILE     append the RESULT lines to this file
#   DATABASE_URL     passed through to the server
set -euo pipefail

cd "$(dirname "$0")/.."

SCENARIO="${SCENARIO:-bookings}"
PORT="${PORT:-8099}"
CONCURRENCY="${CONCURRENCY:-1 16 64}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
TIMEZONE="${TIMEZONE:-UTC}"
ADMIN_PASSWORD="${ADMIN_PASSWORD:-load-admin-$RANDOM$RANDOM-password}"
BCRYPT_COST="${BCRYPT_COST:-4}"
CLIENTS="${CLIENTS:-1000 5000}"
ROUNDS="${ROUNDS:-20}"
WARMUP_ROUNDS="${WARMUP_ROUNDS:-2}"
INTERVAL_MS="${INTERVAL_MS:-300}"
NOFILE="${NOFILE:-65536}"
HOST=127.0.0.1
BASE_URL="http://${HOST}:${PORT}"

build_flags=(-c release)
if [[ -n "${SCRATCH_PATH:-}" ]]; then
    build_flags+=(--scratch-path "$SCRATCH_PATH")
fi

if [[ -n "${BIN_DIR:-}" ]]; then
    bin_dir="$BIN_DIR"
else
    if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
        echo "== building release binaries"
        swift build "${build_flags[@]}" --product deskpilot
        swift build "${build_flags[@]}" --product deskpilot-load
    fi
    bin_dir="$(swift build "${build_flags[@]}" --show-bin-path)"
fi
for binary in deskpilot deskpilot-load; do
    if [[ ! -x "$bin_dir/$binary" ]]; then
        echo "error: $bin_dir/$binary is missing; build it first" >&2
        exit 1
    fi
done

if curl -s -o /dev/null --max-time 2 "$BASE_URL/healthz"; then
    echo "error: something already answers on $BASE_URL; choose another PORT" >&2
    exit 1
fi

if [[ "$SCENARIO" == "fanout" ]]; then
    # Set before the server starts, so that it and the tool both inherit it.
    if ! ulimit -n "$NOFILE" 2>/dev/null; then
        hard="$(ulimit -Hn)"
        ulimit -n "$hard"
        echo "warning: could not raise the open-file limit to $NOFILE; using the hard limit $hard" >&2
    fi
    echo "== open-file limit $(ulimit -n)"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/deskpilot-load.XXXXXX")"
server_pid=""
results=()

cleanup() {
    local status=$?
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$server_pid" 2>/dev/null; then
            echo "server did not stop after SIGTERM; killing it" >&2
            kill -KILL "$server_pid" 2>/dev/null || true
        fi
        wait "$server_pid" 2>/dev/null || true
    fi
    if [[ $status -ne 0 && -f "$tmp/server.log" ]]; then
        echo "== last server log lines ($tmp/server.log)" >&2
        tail -n 40 "$tmp/server.log" >&2 || true
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$tmp/data"
if [[ -n "${DATABASE_URL:-}" ]]; then
    echo "== starting server on $BASE_URL (DATABASE_URL is set)"
else
    echo "== starting server on $BASE_URL (SQLite in $tmp/data)"
fi
# A database that outlives the run (PostgreSQL) keeps the administrator of an earlier run: set its password.
DESKPILOT_DATA_DIR="$tmp/data" DESKPILOT_BCRYPT_COST="$BCRYPT_COST" \
    "$bin_dir/deskpilot" create-admin --username admin --password "$ADMIN_PASSWORD" >"$tmp/create-admin.log" 2>&1
DESKPILOT_DATA_DIR="$tmp/data" \
DESKPILOT_HOST="$HOST" \
DESKPILOT_PORT="$PORT" \
DESKPILOT_ADMIN_USERNAME=admin \
DESKPILOT_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
DESKPILOT_BCRYPT_COST="$BCRYPT_COST" \
DESKPILOT_DRAIN_SECONDS=0 \
    "$bin_dir/deskpilot" serve >"$tmp/server.log" 2>&1 &
server_pid=$!

ready=0
for _ in $(seq 1 600); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "error: server exited during start-up" >&2
        exit 1
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$BASE_URL/healthz" || true)"
    if [[ "$code" == "200" ]]; then
        ready=1
        break
    fi
    sleep 0.1
done
if [[ $ready -ne 1 ]]; then
    echo "error: $BASE_URL/healthz did not answer 200 within 60 s" >&2
    exit 1
fi
echo "== server ready"

if [[ "$SCENARIO" == "fanout" ]]; then
    levels="$CLIENTS"
else
    levels="$CONCURRENCY"
fi
for level in $levels; do
    echo
    if [[ "$SCENARIO" == "fanout" ]]; then
        echo "== fanout with $level clients ($WARMUP_ROUNDS warm-up and $ROUNDS recorded bookings, ${INTERVAL_MS} ms apart)"
        level_args=(--clients "$level" --rounds "$ROUNDS" --warmup-rounds "$WARMUP_ROUNDS" --interval-ms "$INTERVAL_MS")
    else
        echo "== $SCENARIO at concurrency $level (warmup ${WARMUP}s, duration ${DURATION}s)"
        level_args=(--concurrency "$level" --duration "$DURATION" --warmup "$WARMUP")
    fi
    "$bin_dir/deskpilot-load" \
        --scenario "$SCENARIO" \
        --base-url "$BASE_URL" \
        --admin-user admin \
        --admin-password "$ADMIN_PASSWORD" \
        "${level_args[@]}" \
        --timezone "$TIMEZONE" | tee "$tmp/run-$level.out"
    line="$(grep '^RESULT ' "$tmp/run-$level.out" | tail -n 1 || true)"
    if [[ -z "$line" ]]; then
        echo "error: no RESULT line for $SCENARIO at $level" >&2
        exit 1
    fi
    results+=("$line")
    if [[ -n "${RESULTS_FILE:-}" ]]; then
        echo "$line" >>"$RESULTS_FILE"
    fi
done

echo
echo "== summary"
for line in "${results[@]}"; do
    echo "$line"
done
