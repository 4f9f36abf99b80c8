#!/usr/bin/env bash
# E-mail throughput: MAILS (default 1000) messages through the SMTP client's connection pool (4 connections) to the
# aiosmtpd server in Tests/support/smtp_sink.py on loopback, which parses and stores every one. Runs the client test
# that checks a pooled batch with the count raised and prints its line "mails: N in S s, R/s over C connections".
# The target is under 10 s for 1,000. CONFIGURATION=release measures the optimised build (slower to compile).
set -euo pipefail
cd "$(dirname "$0")/.."
MAILS=${MAILS:-1000} CONFIGURATION=${CONFIGURATION:-debug}
python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install -q aiosmtpd
DESKPILOT_MAIL_BENCH_COUNT="$MAILS" swift test -c "$CONFIGURATION" --disable-xctest \
    --filter 'SMTPClientTests/pooledBatch' 2>&1 | grep -E "mails:|passed|failed|error"
