#!/usr/bin/env bash
# Serve the demo: web on 127.0.0.1:8000, a Celery worker and beat beside it. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}
mkdir -p .run
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping web, worker and beat…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT
.venv/bin/celery -A kbportal worker --loglevel=warning --concurrency=2 --hostname="kbportal@%h" >.run/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A kbportal beat --loglevel=warning --schedule=.run/celerybeat-schedule >.run/beat.log 2>&1 &
pids+=($!)
$PY manage.py seed_demo --port "$PORT"
echo "Worker and beat logs: .run/worker.log .run/beat.log — press Ctrl-C to stop everything."
$PY manage.py runserver "127.0.0.1:$PORT" --noreload &
pids+=($!)
wait -n "${pids[@]}"
