#!/usr/bin/env bash
# Start PostgreSQL and Redis when they are down; say clearly what is missing otherwise.
set -euo pipefail
DB_HOST=${PGHOST:-127.0.0.1}
if ! pg_isready -q -h "$DB_HOST" -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is down: starting it…"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h "$DB_HOST" -p 5432 && break; sleep 1; done
  fi
  pg_isready -q -h "$DB_HOST" -p 5432 || { echo "ERROR: PostgreSQL is not reachable on $DB_HOST:5432 and could not be started (install postgresql, or set DATABASE_URL)." >&2; exit 1; }
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "Redis is down: starting it…"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "ERROR: Redis is not reachable on 127.0.0.1:6379 and could not be started (install redis-server, or set REDIS_URL)." >&2; exit 1; }
fi
