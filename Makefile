# kbportal — the two commands: `make run` (set up from nothing and serve the demo) and
# `make test` (pass every test from nothing).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Two database roles (README, "Database roles"): the owner runs migrations, the tenant template,
# backups and restores; the site, worker and beat connect as the restricted app role, which
# `kb_setup` creates and grants. Set DATABASE_OWNER_URL (and DATABASE_URL for the app, when it
# needs a password); DATABASE_URL alone keeps the old single-role setup.
KB_APP_DB_ROLE ?= kbportal_app
ifeq ($(origin DATABASE_URL),undefined)
DATABASE_OWNER_URL ?= postgres://postgres@127.0.0.1:5432/kbportal
DATABASE_URL := $(shell echo '$(DATABASE_OWNER_URL)' | sed -E 's%^([a-z]+://)([^@/]*@)?%\1$(KB_APP_DB_ROLE)$(if $(KB_APP_DB_PASSWORD),:$(KB_APP_DB_PASSWORD))@%')
else
DATABASE_OWNER_URL ?= $(DATABASE_URL)
endif
export DATABASE_URL DATABASE_OWNER_URL KB_APP_DB_ROLE
export REDIS_URL ?= redis://127.0.0.1:6379/0
AS_OWNER := DATABASE_URL="$$DATABASE_OWNER_URL"

.PHONY: screenshots run test setup services venv messages db lint lock lock-check bench-search bench-keystroke bench-load bench-tenant bench-attachments bench-platform backup restore sso-demo

run: services venv messages db
	DJANGO_SETTINGS_MODULE=kbportal.settings.local ./scripts/run.sh

# `make test T="tests/test_x.py -k name"` runs only those tests, in one process. The whole suite
# runs on TEST_WORKERS processes (pytest-xdist, a file per worker at a time, each worker with its
# own test database, queue, cache keys and files), then the tests marked `serial` (the fault
# tests, which time a whole stack of processes) on their own, so that no other test competes
# with them for the two cores.
TEST_WORKERS ?= 3
PYTEST := $(AS_OWNER) DJANGO_SETTINGS_MODULE=kbportal.settings.test $(PY) -m pytest
test: services venv messages
	./scripts/ensure-system-packages.sh --browser
ifeq ($(strip $(T)),)
	$(PYTEST) -n $(TEST_WORKERS) --dist loadfile -m "not serial"
	$(PYTEST) -m serial
else
	$(PYTEST) $(T)
endif

# Issue 14: the main pages of each role at 390, 768 and 1366 px, light and dark, into screenshots/.
SCREENSHOTS ?= screenshots
screenshots: services venv messages
	./scripts/ensure-system-packages.sh --browser
	$(AS_OWNER) KB_SCREENSHOTS="$(abspath $(SCREENSHOTS))" DJANGO_SETTINGS_MODULE=kbportal.settings.test $(PY) -m pytest -q tests/browser/test_layout.py::test_screenshots
	@echo "screenshots in $(SCREENSHOTS)/"

services:
	@./scripts/ensure-system-packages.sh
	@./scripts/ensure-services.sh

$(VENV)/.installed: pyproject.toml requirements.lock requirements-dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "ERROR: $(PYTHON) is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements-dev.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $@

# The locks: every version pinned with its hashes, from pyproject.toml, by uv (from the dev lock).
# `make lock` after changing dependencies; `make lock-check` (in `make lint`) fails when the locks
# no longer match pyproject.toml. Versions already pinned are kept (uv prefers the output file's).
UV_COMPILE = $(VENV)/bin/uv pip compile -q --universal --python-version 3.11 --generate-hashes --no-header pyproject.toml
lock: venv
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra dev -o requirements-dev.lock

lock-check: venv
	@d=$$(mktemp -d) && cp requirements.lock requirements-dev.lock $$d/ \
	  && $(UV_COMPILE) -o $$d/requirements.lock && $(UV_COMPILE) --extra dev -o $$d/requirements-dev.lock \
	  && diff -u requirements.lock $$d/requirements.lock && diff -u requirements-dev.lock $$d/requirements-dev.lock \
	  && echo "locks match pyproject.toml" || { echo "ERROR: the locks do not match pyproject.toml: run make lock"; exit 1; }

venv: $(VENV)/.installed

messages: venv
	@./scripts/ensure-system-packages.sh
	DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py compilemessages --ignore=.venv -v 0

db: services venv
	@psql "$${DATABASE_OWNER_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$${DATABASE_OWNER_URL##*/}'" | grep -q 1 \
		|| psql "$${DATABASE_OWNER_URL%/*}/postgres" -qc "CREATE DATABASE \"$${DATABASE_OWNER_URL##*/}\""
	$(AS_OWNER) DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py kb_setup -v 0 --app-role "$(KB_APP_DB_ROLE)"

lint: venv lock-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

# Single sign-on in the demo: the test identity provider on loopback for helios.example (README, "Single sign-on").
sso-demo: services venv
	DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) scripts/sso_demo_idp.py $(SSO_ARGS)

bench-tenant: services venv db
	$(AS_OWNER) DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py bench_tenant_create

# issue 17: the dashboard page on a tenant of 200 agents with a year of events (built once).
bench-dashboard: services venv db
	$(AS_OWNER) DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py bench_dashboard

bench-attachments: services venv db
	$(AS_OWNER) DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py bench_attachments --size-mb 5 --images 20

# The search benchmarks build one bench tenant per size once (bench_50 … bench_100000; the
# largest takes a while) and reuse them. SIZES="50,1000" for a quicker run. They build as the
# owner; the served ones (keystroke, load) start gunicorn as the app role, like `make run`.
SIZES ?= 50,1000,10000,100000
LOAD_ARTICLES ?= 100000
SERVE_AS_APP := KB_SERVE_DATABASE_URL="$$DATABASE_URL"
bench-search: services venv db
	$(AS_OWNER) DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py bench_search --sizes $(SIZES)

bench-keystroke: services venv db
	$(SERVE_AS_APP) $(AS_OWNER) DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py bench_keystroke --sizes $(SIZES)

bench-load: services venv db
	@./scripts/ensure-system-packages.sh --bench
	$(SERVE_AS_APP) $(AS_OWNER) DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py bench_load --articles $(LOAD_ARTICLES) --agents 20 --seconds 30

# issue 18: N small tenants in a database of its own (never the dev one), dropped afterwards
# unless KEEP=1. `make bench-platform TENANTS=100 BENCH_ARGS="--requests 200 --compare-executors"`.
TENANTS ?= 1000
BENCH_DB_URL := $(shell echo '$(DATABASE_OWNER_URL)' | sed -E 's%/[^/]*$$%/kbportal_platform_bench%')
bench-platform: services venv
	@psql "$${DATABASE_OWNER_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='kbportal_platform_bench'" | grep -q 1 \
		|| psql "$${DATABASE_OWNER_URL%/*}/postgres" -qc 'CREATE DATABASE kbportal_platform_bench'
	DATABASE_URL="$(BENCH_DB_URL)" DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py kb_setup -v 0
	DATABASE_URL="$(BENCH_DB_URL)" DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py bench_platform --tenants $(TENANTS) $(BENCH_ARGS); \
	  status=$$?; uptime; \
	  if [ -z "$(KEEP)" ]; then psql "$${DATABASE_OWNER_URL%/*}/postgres" -qc 'DROP DATABASE kbportal_platform_bench WITH (FORCE)'; fi; \
	  exit $$status

# Backups and restores run as the owner (README, "Backup and restore").
backup: services venv
	$(AS_OWNER) DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py kb_backup $(if $(BACKUP),--output "$(BACKUP)")

restore: services venv
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/kbportal-<time>.dump (stop make run first)"; exit 2; }
	$(AS_OWNER) DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py kb_restore "$(BACKUP)"
