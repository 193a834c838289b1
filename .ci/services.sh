#!/usr/bin/env bash
# Services the tests need on a fresh Debian machine (run as root): PostgreSQL and Chromium.
# Idempotent. Source it (`source .ci/services.sh`) to get PROPSCOPE_TEST_PG_URL exported;
# running it prints the URL. It never exits the shell that sources it.

_propscope_services() {
  local db=propscope_test user=propscope_test password=propscope_test
  if [ "$(id -u)" != 0 ]; then
    echo "services.sh: not root, skipping PostgreSQL/Chromium setup (their tests will be skipped)" >&2
    return 0
  fi
  local need=()
  command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  if [ "${#need[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || return 1
    apt-get install -y -qq "${need[@]}" >/dev/null || return 1
  fi

  local version
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    pg_createcluster "$version" main >/dev/null || return 1
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -qx online; then
    pg_ctlcluster "$version" main start || return 1
  fi
  local port
  port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"

  _pg() { runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtAc "$1"; }
  if [ "$(_pg "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != 1 ]; then
    _pg "CREATE ROLE $user LOGIN PASSWORD '$password'" || return 1
  fi
  if [ "$(_pg "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    _pg "CREATE DATABASE $db OWNER $user" || return 1
  fi
  export PROPSCOPE_TEST_PG_URL="postgresql://$user:$password@127.0.0.1:$port/$db"
  echo "PROPSCOPE_TEST_PG_URL=$PROPSCOPE_TEST_PG_URL"
}

_propscope_services
