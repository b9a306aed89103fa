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

manage: export DEBUG ?= 1
manage: setup
	$(WITH_PG) $(PY) manage.py $(ARGS)

fixtures: $(VENV)/.installed
	$(PY) tools/build_fixtures.py

clean:
	rm -rf $(VENV) staticfiles
