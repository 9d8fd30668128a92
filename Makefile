# Bounceback: `make run` starts the site with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast bench bench-web lint fmt typecheck migrations-check check install install-dev clean

$(VENV)/.runtime: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Bounceback needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev node_modules/.installed

run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable
	@echo
	@echo "Demo logins:"
	@$(PY) manage.py seed_demo
	@echo
	@echo "Bounceback is running at http://$(HOST):$(PORT)/ with its reminder worker and scheduler (Ctrl-C stops all three)"
	@echo
	BOUNCEBACK_SITE_URL=$${BOUNCEBACK_SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py runall $(HOST):$(PORT)

test: install-dev
	$(PY) -m pytest -q

test-fast: install-dev
	$(PY) -m pytest -q -m "not e2e"

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy

migrations-check: $(VENV)/.dev
	$(PY) manage.py makemigrations --check --dry-run

check: lint typecheck migrations-check test

$(VENV)/.bench: $(VENV)/.dev pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.bench
	$(PY) bench/run.py

# Autosave under gunicorn on PostgreSQL (127.0.0.1:5432, user postgres) against a minimal Django floor, then
# /progress/ for a member with 50 check-ups and two years of check-ins; about 6 minutes, loopback only. Writes
# the bench-web and bench-progress sections of docs/benchmarks.md. Then the clinician's dashboard for a clinic of
# 1,000 members with two years of history (built with bulk inserts; a few minutes): bench-dashboard.
bench-web: $(VENV)/.runtime
	$(PY) bench/web/run.py
	$(PY) bench/web/progress.py
	$(PY) bench/web/dashboard.py

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache .mypy_cache
