#!/usr/bin/env bash
# Browser tests: pytest + Selenium drive Debian's headless Chromium against a real `deskpilot` process on SQLite.
# Installs what they need when it is missing (Chromium and its driver with apt-get, which needs root; the Python
# packages with pip), builds the server, then runs Tests/e2e. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Chromium is missing: run 'sudo apt-get install -y chromium chromium-driver' first." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends chromium chromium-driver \
    || { apt-get update -q && apt-get install -y -q --no-install-recommends chromium chromium-driver; }
fi
if ! python3 -c "import pytest, selenium, requests, axe_selenium_python, aiosmtpd" 2>/dev/null; then
  python3 -m pip install -q -r Tests/e2e/requirements.txt
fi

if ! build_log=$(swift build --product deskpilot 2>&1); then
  echo "$build_log" >&2
  exit 1
fi

# Selenium must not try to fetch a browser driver from the network.
SE_OFFLINE=true python3 -m pytest Tests/e2e -q "$@"
