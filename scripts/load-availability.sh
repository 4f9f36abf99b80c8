#!/usr/bin/env bash
# Room availability load (GET /api/v1/rooms/{id}/availability, 7-day window, 100 desks about half booked);
# environment as in scripts/load.sh.
SCENARIO=availability exec "$(dirname "$0")/load.sh" "$@"
