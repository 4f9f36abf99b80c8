#!/usr/bin/env bash
# Every test on the embedded database: the Swift suites (domain and server), then the browser tests of the web app.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test
scripts/e2e.sh
