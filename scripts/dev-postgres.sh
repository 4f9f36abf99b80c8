#!/usr/bin/env bash
# For development and tests only: installs (if needed) Debian's PostgreSQL 15 and runs a cluster of DeskPilot's own
# on 127.0.0.1, with the deskpilot role and the deskpilot / deskpilot_test databases (btree_gist). Prints the URLs to
# use. Run as root. Idempotent.
#
# It never changes a cluster it did not create: by default it creates the cluster `deskpilot` on the first free port
# from 5433, and later runs find it again by a marker file in its configuration folder. PG_CLUSTER and PG_PORT choose
# another name or port; a cluster of that name that this script did not create is refused, not modified. The cluster
# trades durability for speed (fsync off): its data is for throwaway development and test databases.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-deskpilot}"
PG_USER="${PG_USER:-deskpilot}"
PG_PASSWORD="${PG_PASSWORD:-deskpilot}"
PG_DBS="${PG_DBS:-deskpilot deskpilot_test}"

export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8

if [ "$(id -u)" != "0" ]; then
  echo "run as root: it installs PostgreSQL with apt-get and runs a cluster as the postgres user" >&2
  exit 1
fi

if [ ! -x "/usr/lib/postgresql/${PG_VERSION}/bin/postgres" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "postgresql-${PG_VERSION}" postgresql-client-common postgresql-common
fi

conf_dir="/etc/postgresql/${PG_VERSION}/${PG_CLUSTER}"
marker="${conf_dir}/deskpilot-dev-cluster"

cluster_field() { # $1: column of pg_lsclusters (3 = port, 4 = status)
  pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" -v f="$1" '$1==v && $2==c {print $f}'
}
port_taken() { # by a listener or by any cluster's configuration, running or not
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  pg_lsclusters -h | awk -v p="$1" '$3==p {f=1} END {exit !f}'
}

if [ -n "$(cluster_field 2)" ]; then
  if [ ! -f "$marker" ]; then
    echo "cluster ${PG_VERSION}/${PG_CLUSTER} exists and was not created by this script; it is left untouched." >&2
    echo "Choose another name with PG_CLUSTER=… (and PG_PORT=… if you like)." >&2
    exit 1
  fi
  port="$(cluster_field 3)"
  if [ -n "${PG_PORT:-}" ] && [ "$PG_PORT" != "$port" ]; then
    echo "cluster ${PG_VERSION}/${PG_CLUSTER} already runs on port ${port}; leave PG_PORT unset or use that port" >&2
    exit 1
  fi
else
  port="${PG_PORT:-}"
  if [ -z "$port" ]; then
    port=5433
    while port_taken "$port"; do port=$((port + 1)); done
  elif port_taken "$port"; then
    echo "port ${port} is in use (by a listener or another cluster's configuration); choose another PG_PORT" >&2
    exit 1
  fi
  pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port="$port" --start-conf=manual >/dev/null
  echo "created by DeskPilot's scripts/dev-postgres.sh; it may reconfigure and restart this cluster" > "$marker"
fi

# Loopback only, no TLS on loopback, no fsync for throwaway data. A conf.d drop-in in our own cluster only; a change to
# it restarts the cluster, an unchanged one does not.
install -d -o postgres -g postgres "${conf_dir}/conf.d"
wanted="$(cat <<CONF
listen_addresses = '127.0.0.1'
port = ${port}
ssl = off
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
)"
drop_in="${conf_dir}/conf.d/50-deskpilot.conf"
changed=false
if [ ! -f "$drop_in" ] || [ "$(cat "$drop_in")" != "$wanted" ]; then
  printf '%s\n' "$wanted" > "$drop_in"
  chown postgres:postgres "$drop_in"
  changed=true
fi

if [ "$(cluster_field 4)" = "online" ]; then
  if $changed; then pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart; fi
else
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$port" >/dev/null

psql_su() { PGOPTIONS="-c client_min_messages=warning" runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"; }

if [ "$(psql_su -tAc "SELECT 1 FROM pg_roles WHERE rolname = '${PG_USER}'")" != "1" ]; then
  psql_su -c "CREATE ROLE \"${PG_USER}\" LOGIN PASSWORD '${PG_PASSWORD}'"
else
  psql_su -c "ALTER ROLE \"${PG_USER}\" LOGIN PASSWORD '${PG_PASSWORD}'"
fi
for db in $PG_DBS; do
  if [ "$(psql_su -tAc "SELECT 1 FROM pg_database WHERE datname = '${db}'")" != "1" ]; then
    psql_su -c "CREATE DATABASE \"${db}\" OWNER \"${PG_USER}\""
  fi
  psql_su -d "$db" -c "CREATE EXTENSION IF NOT EXISTS btree_gist"
done

for db in $PG_DBS; do
  echo "postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${db}?tlsmode=disable"
done
