# kbportal — the two commands: `make run` (set up from nothing and serve the demo) and
# `make test` (pass every test from nothing).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kbportal
export REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test setup services venv messages db lint lock lock-check bench-search bench-tenant

run: services venv messages db
	DJANGO_SETTINGS_MODULE=kbportal.settings.local ./scripts/run.sh

test: services venv messages
	./scripts/ensure-system-packages.sh --browser
	DJANGO_SETTINGS_MODULE=kbportal.settings.test $(PY) -m pytest

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
	@psql "$${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$${DATABASE_URL##*/}'" | grep -q 1 \
		|| psql "$${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE \"$${DATABASE_URL##*/}\""
	DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py kb_setup -v 0

lint: venv lock-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

bench-tenant: services venv db
	DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py bench_tenant_create

bench-search: services venv db
	DJANGO_SETTINGS_MODULE=kbportal.settings.local $(PY) manage.py bench_search --articles 100000
