#!/usr/bin/env bash
# Booking creation load (POST /api/v1/bookings); environment as in scripts/load.sh.
SCENARIO=bookings exec "$(dirname "$0")/load.sh" "$@"
