#!/usr/bin/env bash
# End-to-end outbox throughput (scripts/bench_deliveries.py): MAILS booking notifications by e-mail through a real
# aiosmtpd server, then WEBHOOKS booking.created deliveries to a receiver that verifies every signature, with the
# queue age while bookings are created at full speed. Starts a release `deskpilot serve` on a fresh SQLite database
# (or DATABASE_URL) on 127.0.0.1; everything stops by itself.
#
# Environment: MAILS (default 1000), WEBHOOKS (default 10000), LOAD_SECONDS (default 10; 0 skips the queue age under
# booking load: deskpilot-load at 64 clients while test events go out at about 100/s), PORT (default 8097), BIN_DIR
# (release binaries; default: build them), SCRATCH_PATH (build directory), DATABASE_URL, KEEP=1 keeps the work folder.
set -euo pipefail
cd "$(dirname "$0")/.."
MAILS="${MAILS:-1000}" WEBHOOKS="${WEBHOOKS:-10000}" PORT="${PORT:-8097}" LOAD_SECONDS="${LOAD_SECONDS:-10}"
[[ "$LOAD_SECONDS" == "0" ]] && LOAD_SECONDS=""
python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install -q aiosmtpd
if [[ -z "${BIN_DIR:-}" ]]; then
    flags=(-c release)
    [[ -n "${SCRATCH_PATH:-}" ]] && flags+=(--scratch-path "$SCRATCH_PATH")
    swift build "${flags[@]}" --product deskpilot
    swift build "${flags[@]}" --product deskpilot-load
    BIN_DIR="$(swift build "${flags[@]}" --show-bin-path)"
fi
work="$(mktemp -d)"
cleanup() {
    [[ -n "${server_pid:-}" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    [[ -n "${sink_pid:-}" ]] && exec 3>&- && wait "$sink_pid" 2>/dev/null || true
    if [[ "${KEEP:-0}" == "1" ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

mkdir -p "$work/mail" "$work/data"
# The SMTP server exits when its stdin (fd 3 here) closes.
mkfifo "$work/sink-in"
python3 Tests/support/smtp_sink.py --dir "$work/mail" --no-parse < "$work/sink-in" > "$work/sink.out" 2>&1 &
sink_pid=$!
exec 3>"$work/sink-in"
for _ in $(seq 100); do grep -q READY "$work/sink.out" 2>/dev/null && break; sleep 0.1; done
smtp_port="$(awk '/READY/ {print $2}' "$work/sink.out")"
if [[ -z "$smtp_port" ]]; then echo "error: the SMTP server did not start:" >&2; cat "$work/sink.out" >&2; exit 1; fi

password="bench-admin-$RANDOM$RANDOM"
DESKPILOT_HOST=127.0.0.1 DESKPILOT_PORT="$PORT" DESKPILOT_DATA_DIR="$work/data" DESKPILOT_BCRYPT_COST=4 \
DESKPILOT_ADMIN_USERNAME=admin DESKPILOT_ADMIN_PASSWORD="$password" DESKPILOT_WEBHOOK_ALLOW_PRIVATE=true \
DESKPILOT_SMTP_URL="smtp://127.0.0.1:$smtp_port?tls=none" DESKPILOT_MAIL_FROM="DeskPilot <desks@example.org>" \
LOG_LEVEL=warning "$BIN_DIR/deskpilot" serve > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "error: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }

timeout 600 python3 scripts/bench_deliveries.py --base "http://127.0.0.1:$PORT" --admin-password "$password" \
    --mail-dir "$work/mail" --receiver Tests/support/webhook_receiver.py --work-dir "$work" --mails "$MAILS" --webhooks "$WEBHOOKS" \
    ${LOAD_SECONDS:+--load-tool "$BIN_DIR/deskpilot-load" --load-seconds "$LOAD_SECONDS"}
