#!/usr/bin/env bash
# The README's screenshots, taken from the demo organisation (`deskpilot serve --demo`) in headless Chromium.
# Needs what the browser tests need (scripts/e2e.sh installs it). Writes docs/screenshots/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product deskpilot >/dev/null
SE_OFFLINE=true DESKPILOT_SCREENSHOTS="${DESKPILOT_SCREENSHOTS:-docs/screenshots}" python3 Tests/e2e/screenshots.py
