#!/usr/bin/env bash
# Serve the demo: gunicorn on 127.0.0.1:$PORT as in production (WEB_WORKERS processes of
# WEB_THREADS long-lived threads, each thread keeping one database connection: at most
# workers x threads connections, however many people are waiting), a Celery worker and beat. A worker or beat that dies is
# reported on this terminal and restarted (backing off up to 30 s) while the web server keeps
# serving. Ctrl-C (or SIGTERM) stops everything.
#
# PORT (8000), WEB_WORKERS (3), WEB_THREADS (4), KB_RUN_DIR (.run: logs and pids), KB_SEED_DEMO (1).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${KB_BIN:-.venv/bin}
PORT=${PORT:-8000}
RUN_DIR=${KB_RUN_DIR:-.run}
mkdir -p "$RUN_DIR"
supervisors=()
web=

say() { echo "[run $(date +%H:%M:%S)] $*"; }

# supervise NAME COMMAND...: run COMMAND (output to $RUN_DIR/NAME.log), restart it when it
# exits, until this supervisor gets SIGTERM (then it stops COMMAND and waits for it).
supervise() {
  local name=$1 child= delay=1 started status
  shift
  trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM
  while true; do
    started=$SECONDS
    "$@" >>"$RUN_DIR/$name.log" 2>&1 &
    child=$!
    echo "$child" >"$RUN_DIR/$name.pid"
    wait "$child"
    status=$?
    # A process that ran for a while gets a prompt restart; one that keeps dying backs off.
    if [ $((SECONDS - started)) -ge 60 ]; then delay=1; fi
    say "$name exited (status $status); restarting in ${delay}s — see $RUN_DIR/$name.log" >&2
    echo "[run] $name exited (status $status); restarting in ${delay}s" >>"$RUN_DIR/$name.log"
    sleep "$delay" & child=$!; wait "$child"; child=
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
}

cleanup() {
  trap - INT TERM EXIT
  echo; say "Stopping web, worker and beat…"
  [ -n "$web" ] && kill -TERM "$web" 2>/dev/null
  for pid in "${supervisors[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -f "$RUN_DIR"/{web,worker,beat}.pid
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT

supervise worker "$BIN/celery" -A kbportal worker --loglevel=warning --concurrency=2 --hostname="kbportal-$PORT@%h" &
supervisors+=($!)
supervise beat "$BIN/celery" -A kbportal beat --loglevel=warning --schedule="$RUN_DIR/celerybeat-schedule" &
supervisors+=($!)
if [ "${KB_SEED_DEMO:-1}" = 1 ]; then
  "$BIN/python" manage.py seed_demo --port "$PORT" || exit 1
fi
say "Worker and beat logs: $RUN_DIR/worker.log $RUN_DIR/beat.log — press Ctrl-C to stop everything."
# Where e-mail goes (README, "E-mail"): files a developer can read, in development.
mail_note=$("$BIN/python" - 2>/dev/null <<'PY'
import os
import django
django.setup()
from django.conf import settings
backend = settings.EMAIL_BACKEND
if backend.endswith("filebased.EmailBackend"):
    os.makedirs(settings.EMAIL_FILE_PATH, exist_ok=True)
    print(f"E-mail is not sent: the worker writes it to files in {settings.EMAIL_FILE_PATH} (newest: ls -t {settings.EMAIL_FILE_PATH} | head -1).")
elif backend.endswith("console.EmailBackend"):
    print("E-mail is not sent: the worker prints it in its log.")
else:
    print(f"E-mail is sent by the worker through {settings.EMAIL_HOST}:{settings.EMAIL_PORT} ({backend}).")
PY
)
[ -n "$mail_note" ] && say "$mail_note"
"$BIN/gunicorn" kbportal.wsgi:application --bind "127.0.0.1:$PORT" --workers "${WEB_WORKERS:-3}" \
  --threads "${WEB_THREADS:-4}" --timeout 60 --graceful-timeout 10 --access-logfile "$RUN_DIR/access.log" &
web=$!
echo "$web" >"$RUN_DIR/web.pid"
wait "$web"
status=$?
say "The web server stopped (status $status)." >&2
exit "$status"
