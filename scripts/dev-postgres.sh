#!/usr/bin/env bash
# Installs (if needed) and starts Debian's PostgreSQL 15 on 127.0.0.1, creates the deskpilot role and the
# deskpilot / deskpilot_test databases with btree_gist. Idempotent; run as root. Prints the URLs to use.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-deskpilot}"
PG_PASSWORD="${PG_PASSWORD:-deskpilot}"
PG_DBS="${PG_DBS:-deskpilot deskpilot_test}"

export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8

if [ "$(id -u)" != "0" ]; then
  echo "run as root (it installs and starts the packaged PostgreSQL cluster)" >&2
  exit 1
fi

if [ ! -x "/usr/lib/postgresql/${PG_VERSION}/bin/postgres" ] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "postgresql-${PG_VERSION}" postgresql-client-common postgresql-common
fi

if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {f=1} END {exit !f}'; then
  pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port="$PG_PORT" --start-conf=manual
fi

# Loopback only, no TLS on loopback, no fsync for throwaway dev/test data. A conf.d drop-in, rewritten every run.
conf_dir="/etc/postgresql/${PG_VERSION}/${PG_CLUSTER}"
install -d -o postgres -g postgres "${conf_dir}/conf.d"
cat > "${conf_dir}/conf.d/50-deskpilot.conf" <<CONF
listen_addresses = '127.0.0.1'
port = ${PG_PORT}
ssl = off
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
chown postgres:postgres "${conf_dir}/conf.d/50-deskpilot.conf"

if pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c && $4=="online" {f=1} END {exit !f}'; then
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart
else
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$PG_PORT" >/dev/null

psql_su() { PGOPTIONS="-c client_min_messages=warning" runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }

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
  echo "postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${PG_PORT}/${db}?tlsmode=disable"
done
