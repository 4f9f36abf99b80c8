#!/usr/bin/env bash
# Every test on the embedded database: the Swift suites (domain and server), then the browser tests of the web app.
# Suites that need PostgreSQL or nginx are skipped here; they are named once at the end with how to run them.
set -euo pipefail
cd "$(dirname "$0")/.."

# The e-mail tests talk to a real SMTP server: Python's aiosmtpd (Tests/support/smtp_sink.py).
python3 -c 'import aiosmtpd' 2>/dev/null || python3 -m pip install -q aiosmtpd

skipped=$(mktemp)
trap 'rm -f "$skipped"' EXIT
# Swift Testing names a skipped suite once and then each of its tests: keep the suite's line for the summary.
swift test --disable-xctest 2>&1 | awk -v skipped="$skipped" '
  /^[^ ]+ Test .* skipped: / { next }
  /^[^ ]+ Suite .* skipped: / { sub(/^[^ ]+ /, ""); print > skipped; next }
  { print; fflush() }'
if [ -s "$skipped" ]; then
  echo
  echo "Skipped on SQLite (they need other servers; .ci/run runs them):"
  sed 's/^/  /' "$skipped"
  echo "  To run them: as root, scripts/dev-postgres.sh (prints the URLs), then"
  echo "  DESKPILOT_TEST_POSTGRES_URL='<its deskpilot_test URL>' swift test --filter DeskServerTests"
fi
scripts/e2e.sh
