# UnionHub build, run and test entry points. `make help` lists them.
#
# Databases come from scripts/ensure-db.sh: DATABASE_URL if set, else the PostgreSQL on
# 127.0.0.1:5432, else a private cluster under .data/postgres. The test targets derive their
# own databases from that server by replacing only the database name, so they never touch the
# development database.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# The Python that runs the backend (3.11, 3.12 or 3.13): the first of these on PATH.
PYTHON ?= $(firstword $(foreach p,python3.11 python3.12 python3.13,$(shell command -v $(p) 2>/dev/null)) python3)
VENV := backend/.venv
VENV_BIN := $(CURDIR)/$(VENV)/bin
INSTALL_STAMP := $(VENV)/.installed

# uv installs the backend from backend/uv.lock. It comes from PyPI itself, with pip, into a
# small venv of its own (uv sync removes from backend/.venv whatever the lock does not list).
UV_VERSION := 0.13.9
UV_TOOLS := backend/.venv-tools
UV := $(CURDIR)/$(UV_TOOLS)/bin/uv
UV_STAMP := $(UV_TOOLS)/.uv-$(UV_VERSION)
# Never download a Python: use $(PYTHON). backend/.venv is the project environment.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
ENSURE_DB := $(CURDIR)/scripts/ensure-db.sh

# Database names (on whichever server ensure-db picks). DB_NAME empty = the name in
# DATABASE_URL, or "unionhub" when DATABASE_URL is unset.
DB_NAME ?=
TEST_DB_NAME ?= unionhub_test
MIGCHECK_DB_NAME ?= unionhub_migcheck
BENCH_DB_NAME ?= unionhub_bench
E2E_DB_NAME ?= unionhub_e2e

HOST ?= 0.0.0.0
PORT ?= 8000
DEMO_SEED ?= 2018
DEMO_PASSWORD := UnionHub@2026
PYTEST_ARGS ?=
# pytest-xdist workers for test-backend: auto = one per core, each on a database of its own
# (tests/conftest.py); 0 = one process (a quick targeted run builds one database, not two).
PYTEST_WORKERS ?= auto
BENCH_ARGS ?=

.PHONY: help venv install lock db db-stop migrate demo run lint audit migrations-check \
	test-backend test-frontend test bench clean

help: ## list the targets
	@grep -E '^[a-z-]+( [a-z-]+)*:.*## ' $(MAKEFILE_LIST) |
		sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  %-22s %s\n", $$1, $$2}'

# ------------------------------------------------------------------ environment
venv install: $(INSTALL_STAMP) ## create backend/.venv: the backend and its dev tools, as locked in uv.lock

$(UV_STAMP):
	@echo "installing uv $(UV_VERSION) into $(UV_TOOLS)"
	rm -rf "$(UV_TOOLS)"
	$(PYTHON) -m venv "$(UV_TOOLS)"
	"$(UV_TOOLS)/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	touch "$@"

# Syncs only when pyproject.toml or uv.lock is newer than the stamp. --locked: stop if the lock
# no longer matches pyproject.toml (run `make lock`) instead of installing something else.
$(INSTALL_STAMP): backend/pyproject.toml backend/uv.lock $(UV_STAMP)
	@echo "syncing $(VENV) with backend/uv.lock ($(PYTHON))"
	cd backend
	"$(UV)" sync --locked --python "$(PYTHON)" --quiet
	touch "$(CURDIR)/$@"

lock: $(UV_STAMP) ## after editing backend/pyproject.toml: update backend/uv.lock (UPGRADE=1: newest allowed)
	@cd backend
	"$(UV)" lock --python "$(PYTHON)" $(if $(UPGRADE),--upgrade)

db: ## make sure PostgreSQL runs and the dev database exists; print its DATABASE_URL
	@url="$$("$(ENSURE_DB)" $(DB_NAME))"
	echo "DATABASE_URL=$$url"

db-stop: ## stop the private cluster under .data/postgres (if ensure-db started one)
	@"$(ENSURE_DB)" --stop

migrate: install ## alembic upgrade head on the dev database
	@url="$$("$(ENSURE_DB)" $(DB_NAME))"
	cd backend
	DATABASE_URL="$$url" "$(VENV_BIN)/alembic" upgrade head

demo: migrate ## load the demo data set (idempotent)
	@url="$$("$(ENSURE_DB)" $(DB_NAME))"
	cd backend
	DATABASE_URL="$$url" "$(VENV_BIN)/unionhub-dev" demo-data --seed $(DEMO_SEED)

run: demo ## install, migrate, load demo data, build the web app, serve on :8000 with a worker
	@if [ -f frontend/package.json ]; then
		echo "building the web app"
		( cd frontend
		  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
		  npm run build )
		export FRONTEND_DIST="$(CURDIR)/frontend/dist"
	fi
	url="$$("$(ENSURE_DB)" $(DB_NAME))"
	printf '%s\n' "" \
		"UnionHub on http://localhost:$(PORT)/  (API docs: /docs)" \
		"Demo sign-ins, password $(DEMO_PASSWORD):" \
		"  admin    system administrator" \
		"  tinh     provincial federation" \
		"  mytho    Mỹ Tho city federation" \
		"  caibe    Cái Bè district federation" \
		"  cdcs     a grassroots union" \
		"  viewer   read-only" \
		""
	cd backend
	export DATABASE_URL="$$url"
	# One worker runs the background jobs (every import) beside the web server, and stops with it.
	"$(VENV_BIN)/unionhub" worker --name make-run &
	worker=$$!
	trap 'kill -TERM $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT
	trap 'exit 130' INT TERM
	# The application decides which proxies to believe (FORWARDED_ALLOW_IPS), not uvicorn.
	"$(VENV_BIN)/uvicorn" unionhub.main:app --host $(HOST) --port $(PORT) --no-proxy-headers

# ------------------------------------------------------------------ checks
lint: install ## ruff check, ruff format --check, mypy, lint-imports (layers), pip-audit (runs all, fails if any fails)
	@status=0
	( cd backend
	  status=0
	  "$(VENV_BIN)/ruff" check . || status=1
	  "$(VENV_BIN)/ruff" format --check . || status=1
	  "$(VENV_BIN)/mypy" unionhub unionhub_dev || status=1
	  "$(VENV_BIN)/lint-imports" || status=1
	  exit $$status ) || status=1
	"$(CURDIR)/scripts/audit-deps.sh" "$(UV)" "$(VENV_BIN)/pip-audit" || status=1
	exit $$status

# AUDIT=warn (default): if PyPI's advisory data is unreachable, warn; AUDIT=require: fail.
audit: install ## pip-audit of every package in backend/uv.lock (AUDIT=require|warn|off)
	@"$(CURDIR)/scripts/audit-deps.sh" "$(UV)" "$(VENV_BIN)/pip-audit"

migrations-check: install ## fresh database: alembic upgrade head, then alembic check
	@url="$$("$(ENSURE_DB)" $(MIGCHECK_DB_NAME) --drop)"
	trap '"$(ENSURE_DB)" $(MIGCHECK_DB_NAME) --remove || true' EXIT
	cd backend
	export DATABASE_URL="$$url" ENVIRONMENT=test
	"$(VENV_BIN)/alembic" upgrade head
	"$(VENV_BIN)/alembic" check

test-backend: install ## rebuild the test database with the migrations, run pytest
	@url="$$("$(ENSURE_DB)" $(TEST_DB_NAME) --drop)"
	cd backend
	export DATABASE_URL="$$url" ENVIRONMENT=test
	# tests/conftest.py builds the database with `alembic upgrade head` itself (once a run, per
	# worker). --dist loadfile: a file's tests stay on one worker, so a module's fixture (a
	# server stack, say) starts once.
	"$(VENV_BIN)/pytest" -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-frontend: install ## web app: eslint, tsc, client staleness, Vitest, build, bundle budget, e2e
	@if [ ! -f frontend/package.json ]; then
		echo "frontend: no package yet"
		exit 0
	fi
	if ! command -v chromium >/dev/null 2>&1; then
		echo "installing Debian's chromium for the e2e tests"
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
		$$SUDO apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null
	fi
	url="$$("$(ENSURE_DB)" $(E2E_DB_NAME) --drop)"
	trap '"$(ENSURE_DB)" $(E2E_DB_NAME) --remove || true' EXIT
	( cd backend
	  export DATABASE_URL="$$url"
	  "$(VENV_BIN)/alembic" upgrade head
	  "$(VENV_BIN)/unionhub-dev" demo-data --seed $(DEMO_SEED) --scale 0.05 >/dev/null )
	cd frontend
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	npm run lint
	npm run typecheck
	npm run check:api
	npm test
	npm run build
	npm run check:bundle
	E2E_DATABASE_URL="$$url" npm run e2e

test: install lint migrations-check test-backend test-frontend ## everything CI runs

bench: install ## build/reuse a 1M-member database, serve it, measure (BENCH_ARGS=--help)
	@url="$$("$(ENSURE_DB)" $(BENCH_DB_NAME))"
	cd backend
	DATABASE_URL="$$url" "$(VENV_BIN)/python" -m unionhub_dev.bench $(BENCH_ARGS)

clean: ## remove the venv, caches and build output (keeps .data/, the private database)
	@rm -rf "$(VENV)" "$(UV_TOOLS)" backend/*.egg-info frontend/dist frontend/node_modules .bench
	find backend -type d \( -name __pycache__ -o -name .pytest_cache -o -name .mypy_cache \
		-o -name .ruff_cache \) -prune -exec rm -rf {} +
