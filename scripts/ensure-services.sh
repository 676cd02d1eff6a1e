#!/usr/bin/env bash
# Make sure the PostgreSQL of DATABASE_URL (and of DATABASE_OWNER_URL) and the Redis of REDIS_URL
# answer. A service that points at this machine and is down is started (PostgreSQL: the local
# cluster listening on that port; Redis: a redis-server on that port); a service on another
# host is only checked, never started, and the error names the host and port that were tried.
set -euo pipefail
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kbportal}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
TIMEOUT=${SERVICE_CHECK_TIMEOUT:-3}

# url_host_port URL DEFAULT_PORT -> "host port" (host empty for a Unix socket / no host)
url_host_port() {
  local rest=${1#*://} default=$2 hostport host port
  rest=${rest%%/*}; rest=${rest%%\?*}
  hostport=${rest##*@}
  if [[ $hostport == \[* ]]; then           # [ipv6]:port
    host=${hostport%%]*}; host=${host#[}
    port=${hostport##*]}; port=${port#:}
  elif [[ $hostport == *:* ]]; then
    host=${hostport%%:*}; port=${hostport##*:}
  else
    host=$hostport; port=
  fi
  # postgres://…/db?host=/var/run/postgresql (socket in the query string)
  if [[ $1 == *\?*host=* ]]; then host=${1##*host=}; host=${host%%&*}; fi
  echo "${host:-127.0.0.1} ${port:-$default}"
}

is_local() {  # is_local HOST: loopback, a Unix socket, or one of this machine's names/addresses
  local host=$1
  case "$host" in
    127.*|localhost|::1|/*) return 0 ;;
  esac
  [ "$host" = "$(hostname 2>/dev/null)" ] && return 0
  for addr in $(hostname -I 2>/dev/null); do [ "$host" = "$addr" ] && return 0; done
  return 1
}

ensure_postgres() {  # ensure_postgres URL
  local host port
  read -r host port <<<"$(url_host_port "$1" 5432)"
  pg_isready -q -h "$host" -p "$port" -t "$TIMEOUT" 2>/dev/null && return 0
  if is_local "$host" && command -v pg_lsclusters >/dev/null 2>&1; then
    local cluster
    cluster=$(pg_lsclusters -h 2>/dev/null | awk -v p="$port" '$3 == p {print $1 " " $2; exit}')
    if [ -n "$cluster" ]; then
      echo "PostgreSQL ($host:$port) is down: starting cluster $cluster…"
      # shellcheck disable=SC2086
      pg_ctlcluster --skip-systemctl-redirect $cluster start || true
      for _ in $(seq 1 30); do pg_isready -q -h "$host" -p "$port" && return 0; sleep 1; done
    fi
  fi
  if is_local "$host"; then
    echo "ERROR: PostgreSQL is not reachable on $host:$port and no local cluster on that port could be started (install postgresql, or set DATABASE_URL)." >&2
  else
    echo "ERROR: PostgreSQL is not reachable on $host:$port (DATABASE_URL points at another machine: it is checked, never started here)." >&2
  fi
  exit 1
}

redis_ping() { timeout "$TIMEOUT" redis-cli -u "$REDIS_URL" ping 2>/dev/null | grep -q PONG; }

ensure_redis() {
  local host port
  read -r host port <<<"$(url_host_port "$REDIS_URL" 6379)"
  redis_ping && return 0
  if is_local "$host" && command -v redis-server >/dev/null 2>&1 && [[ $REDIS_URL != *@* ]]; then
    echo "Redis ($host:$port) is down: starting it…"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no >/dev/null
    for _ in $(seq 1 20); do redis_ping && return 0; sleep 0.5; done
  fi
  if is_local "$host"; then
    echo "ERROR: Redis is not reachable on $host:$port and could not be started (install redis-server, or set REDIS_URL)." >&2
  else
    echo "ERROR: Redis is not reachable on $host:$port (REDIS_URL points at another machine: it is checked, never started here)." >&2
  fi
  exit 1
}

ensure_postgres "$DATABASE_URL"
if [ -n "${DATABASE_OWNER_URL:-}" ] && [ "$DATABASE_OWNER_URL" != "$DATABASE_URL" ]; then
  ensure_postgres "$DATABASE_OWNER_URL"
fi
ensure_redis
