# `make run` and `make test` set everything up from a fresh clone.
# Without DATABASE_URL, both use an embedded PostgreSQL kept in .pgdata/.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12 or newer.
PYTHON ?= $(shell for candidate in python3.13 python3.12; do \
	if $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	echo $$candidate; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
WITH_PG := $(PY) tools/with_pg.py --
PORT ?= 8000

.PHONY: help setup run test lint manage fixtures messages clean

help:
	@echo "make run      set up and serve the portal on http://127.0.0.1:$(PORT)"
	@echo "make test     set up and run the whole test suite"
	@echo "make lint     ruff and the migrations check"
	@echo "make manage ARGS='createsuperuser'   any manage.py command"
	@echo "make serve    the production server (gunicorn) on PORT"
	@echo "make bench    load benchmarks (bench/README.md)"
	@echo "make backup [ARCHIVE=file.tar]   database + uploads into one archive (backups/)"
	@echo "make restore ARCHIVE=file.tar    put them back (asks first; YES=1 to skip)"

$(VENV)/.installed: pyproject.toml constraints.txt
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.12 or newer is needed (looked for python3.13 and python3.12)." >&2; \
		echo "Install one (e.g. 'pyenv install 3.13' or your system's python3.13 package)." >&2; \
		exit 1; fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt $$($(PY) tools/requirements.py dev)
	@touch $@

setup: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --verbosity=0
	$(PY) manage.py collectstatic --noinput --verbosity=0

run: export DEBUG ?= 1
run: setup
	$(WITH_PG) bash -c '$(PY) manage.py migrate --noinput \
		&& $(PY) manage.py load_catalogue \
		&& $(PY) manage.py render_component_pages \
		&& { $(PY) manage.py db_worker --no-reload & worker=$$!; } \
		&& trap "kill $$worker 2>/dev/null" EXIT \
		&& echo "Serving on http://127.0.0.1:$(PORT)/ with the e-mail worker (Ctrl-C stops everything)" \
		&& $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT)'

# Tests run with DEBUG off, as in production, over plain HTTP on loopback.
test: export SECRET_KEY ?= test-only-secret-key-not-for-production-use-0123456789
test: export SECURE_SSL_REDIRECT := 0
test: export SECURE_COOKIES := 0
test: setup lint
	$(WITH_PG) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# The production server: gunicorn with gunicorn.conf.py (gthread workers,
# WEB_CONCURRENCY, GUNICORN_THREADS, FORWARDED_ALLOW_IPS...), DEBUG off, static
# files compressed and served by whitenoise. The database as for `make run`.
# Without SECRET_KEY it is a local try-out: a throwaway key, and plain HTTP.
.PHONY: serve bench bench-soak bench-downloads
ifeq ($(SECRET_KEY)$(SECRET_KEY_FILE),)
serve: export SECRET_KEY := $(shell head -c 48 /dev/urandom | base64 | tr -d '\n')
serve: export SECURE_SSL_REDIRECT ?= 0
serve: export SECURE_COOKIES ?= 0
serve: SERVE_NOTE := SECRET_KEY is not set: using a throwaway key for this run only (sessions end when it stops), over plain HTTP (SECURE_SSL_REDIRECT=0, SECURE_COOKIES=0). Set SECRET_KEY to serve for real.
endif
serve: export DEBUG := 0
serve: export PORT := $(PORT)
serve: setup
	@$(if $(SERVE_NOTE),echo "make serve: $(SERVE_NOTE)")
	$(WITH_PG) bash -c '$(PY) manage.py migrate --noinput \
		&& $(PY) manage.py load_catalogue \
		&& { $(PY) manage.py db_worker --no-reload & worker=$$!; } \
		&& { nice $(PY) manage.py render_component_pages & render=$$!; } \
		&& trap "kill $$worker $$render 2>/dev/null" EXIT \
		&& echo "Serving with gunicorn on $${GUNICORN_BIND:-$${HOST:-127.0.0.1}:$(PORT)} with the e-mail worker (Ctrl-C stops everything)" \
		&& $(VENV)/bin/gunicorn --config gunicorn.conf.py reuse_portal.wsgi'

# Load benchmarks against a generated catalogue in a database of their own
# (bench/README.md); never part of `make test`. BENCH_COMPONENTS=100000 for
# the large one; BENCH_ARGS for more (e.g. '--duration 30').
BENCH_COMPONENTS ?= 10000
bench: export SECRET_KEY ?= bench-only-secret-key-never-used-to-serve-0123456789
bench: setup
	$(PY) -m bench.run --components $(BENCH_COMPONENTS) $(BENCH_ARGS)

# Ten minutes of mixed load at 32 connections: errors and memory over time.
bench-soak: export SECRET_KEY ?= bench-only-secret-key-never-used-to-serve-0123456789
bench-soak: setup
	$(PY) -m bench.soak --components $(BENCH_COMPONENTS) $(SOAK_ARGS)

# The catalogue page while many downloads of the whole catalogue are asked
# for at once, with and without EXPORT_CONCURRENCY.
bench-downloads: export SECRET_KEY ?= bench-only-secret-key-never-used-to-serve-0123456789
bench-downloads: setup
	$(PY) -m bench.downloads --components $(BENCH_COMPONENTS) $(DOWNLOADS_ARGS)

manage: export DEBUG ?= 1
manage: setup
	$(WITH_PG) $(PY) manage.py $(ARGS)

fixtures: $(VENV)/.installed
	$(PY) tools/build_fixtures.py

clean:
	rm -rf $(VENV) staticfiles

# Database and uploads in one archive, and back (tools/backup.py).
.PHONY: backup restore
backup: $(VENV)/.installed
	$(PY) tools/backup.py backup $(if $(ARCHIVE),--output $(ARCHIVE))

restore: $(VENV)/.installed
	@[ -n "$(ARCHIVE)" ] || { echo "usage: make restore ARCHIVE=backups/reuse-portal-….tar" >&2; exit 1; }
	$(PY) tools/backup.py restore $(ARCHIVE) $(if $(YES),--yes)
