#!/usr/bin/env bash
# Entrypoint of the kbportal image (docker-compose.yml): wait for PostgreSQL and Redis, then
#   web     migrate every schema (idempotent), collect static files, serve with gunicorn
#   worker  a Celery worker          beat   the Celery beat scheduler
#   setup   only migrate every schema (and seed the demo when KB_DEMO=1)
#   *       any other command, run as given (e.g. `manage.py shell`)
# Migrations (and the demo) run as DATABASE_OWNER_URL's role, which also creates and grants the
# app role KB_APP_DB_ROLE (password KB_APP_DB_PASSWORD); everything else connects with
# DATABASE_URL (the app role). Without DATABASE_OWNER_URL both are DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
WAIT_SECONDS=${WAIT_SECONDS:-60}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kbportal}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export DATABASE_OWNER_URL=${DATABASE_OWNER_URL:-$DATABASE_URL}
role=${1:-web}

wait_for() {  # wait_for NAME PYTHON-CHECK
  local name=$1 check=$2 deadline=$((SECONDS + WAIT_SECONDS))
  until $PY -c "$check" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then echo "entrypoint: $name not reachable after ${WAIT_SECONDS}s" >&2; exit 1; fi
    sleep 1
  done
  echo "entrypoint: $name is up"
}

# web and setup migrate as the owner; the others need the app role, which web's setup creates.
case "$role" in web|setup) DB_CHECK_URL=$DATABASE_OWNER_URL ;; *) DB_CHECK_URL=$DATABASE_URL ;; esac
export DB_CHECK_URL
wait_for PostgreSQL "import os, psycopg, dj_database_url as d; c = d.parse(os.environ['DB_CHECK_URL']); psycopg.connect(host=c['HOST'], port=c['PORT'] or 5432, user=c['USER'], password=c['PASSWORD'] or None, dbname=c['NAME'], connect_timeout=2).close()"
wait_for Redis "import os, redis; redis.Redis.from_url(os.environ['REDIS_URL'], socket_connect_timeout=2).ping()"

setup() {
  local demo=; [ "${KB_DEMO:-0}" = 1 ] && demo=--demo
  DATABASE_URL=$DATABASE_OWNER_URL $PY manage.py kb_setup $demo
}

case "$role" in
  web)
    shift || true
    setup
    $PY manage.py collectstatic --noinput -v 0
    exec gunicorn kbportal.wsgi:application --bind 0.0.0.0:8000 --workers "${WEB_WORKERS:-3}" --threads "${WEB_THREADS:-4}" --access-logfile - "$@"
    ;;
  worker) shift; exec celery -A kbportal worker --loglevel=info "$@" ;;
  beat) shift; exec celery -A kbportal beat --loglevel=info --schedule=/tmp/celerybeat-schedule "$@" ;;
  setup) shift; setup ;;
  *) exec "$@" ;;
esac
