#!/usr/bin/env bash
# Live-update fan-out (GET /api/v1/ws): CLIENTS WebSocket clients (default "1000 5000", one user each) follow one
# room while another user books desks in it one at a time (POST /api/v1/bookings); per booking, each client's time
# from sending the booking to receiving its booking.created frame. Raises the open-file limit (NOFILE, default 65536)
# for the server and the tool. Environment as in scripts/load.sh (CLIENTS, ROUNDS, WARMUP_ROUNDS, INTERVAL_MS).
SCENARIO=fanout exec "$(dirname "$0")/load.sh" "$@"
