#!/usr/bin/env bash
# Checks that scripts/dev-postgres.sh keeps to its own cluster: a cluster someone else runs (Debian's 15/main, created
# by the package) is neither reconfigured nor restarted nor stopped, and a second run restarts nothing. Run as root;
# .ci/run calls it after the script.
set -euo pipefail
cd "$(dirname "$0")/.."

other="${CHECK_OTHER_CLUSTER:-main}"
if ! pg_lsclusters -h | awk -v c="$other" '$1==15 && $2==c {f=1} END {exit !f}'; then
  pg_createcluster 15 "$other" >/dev/null
fi
pg_ctlcluster 15 "$other" start >/dev/null 2>&1 || true
pid_of() { head -1 "/var/lib/postgresql/15/$1/postmaster.pid"; }
config_of() { find "/etc/postgresql/15/$1" -type f -exec md5sum {} + | sort; }

other_pid=$(pid_of "$other"); other_config=$(config_of "$other")
own_pid=$(pid_of deskpilot)
urls=$(scripts/dev-postgres.sh)

fail() { echo "dev-postgres.sh: $1" >&2; exit 1; }
[ "$(pid_of "$other")" = "$other_pid" ] || fail "restarted the cluster 15/$other it does not own"
[ "$(config_of "$other")" = "$other_config" ] || fail "changed the configuration of 15/$other"
[ "$(pid_of deskpilot)" = "$own_pid" ] || fail "restarted its own cluster although nothing changed"
echo "$urls" | grep -q "127.0.0.1:$(pg_lsclusters -h | awk '$1==15 && $2=="deskpilot" {print $3}')/deskpilot_test?" \
  || fail "printed URLs that do not name its own cluster's port"
if PG_CLUSTER="$other" scripts/dev-postgres.sh >/dev/null 2>&1; then fail "accepted PG_CLUSTER=$other, which it did not create"; fi
[ "$(config_of "$other")" = "$other_config" ] || fail "changed 15/$other when asked to use it"
echo "dev-postgres.sh keeps to its own cluster (15/deskpilot); 15/$other untouched"
