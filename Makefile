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

PYTHON ?= python3.11
VENV := backend/.venv
VENV_BIN := $(CURDIR)/$(VENV)/bin
INSTALL_STAMP := $(VENV)/.installed
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
BENCH_ARGS ?=

.PHONY: help venv install db db-stop migrate demo run lint migrations-check test-backend \
	test-frontend test bench clean

help: ## list the targets
	@grep -E '^[a-z-]+( [a-z-]+)*:.*## ' $(MAKEFILE_LIST) |
		sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  %-22s %s\n", $$1, $$2}'

# ------------------------------------------------------------------ environment
venv install: $(INSTALL_STAMP) ## create backend/.venv and install the backend with dev tools

# Reinstalls only when pyproject.toml is newer than the stamp.
$(INSTALL_STAMP): backend/pyproject.toml
	@if [ ! -x "$(VENV)/bin/python" ]; then
		echo "creating $(VENV) with $(PYTHON)"
		$(PYTHON) -m venv "$(VENV)"
	fi
	echo "installing the backend into $(VENV)"
	"$(VENV_BIN)/python" -m pip install --quiet --disable-pip-version-check -e './backend[dev]'
	touch "$@"

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
	DATABASE_URL="$$url" "$(VENV_BIN)/unionhub" demo-data --seed $(DEMO_SEED)

run: demo ## install, migrate, load demo data, build the web app, serve on :8000
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
	exec "$(VENV_BIN)/uvicorn" unionhub.main:app --host $(HOST) --port $(PORT)

# ------------------------------------------------------------------ checks
lint: install ## ruff check, ruff format --check, mypy (runs all three, fails if any fails)
	@cd backend
	status=0
	"$(VENV_BIN)/ruff" check . || status=1
	"$(VENV_BIN)/ruff" format --check . || status=1
	"$(VENV_BIN)/mypy" unionhub || status=1
	exit $$status

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
	"$(VENV_BIN)/alembic" upgrade head
	"$(VENV_BIN)/pytest" $(PYTEST_ARGS)

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
	  "$(VENV_BIN)/unionhub" demo-data --seed $(DEMO_SEED) --scale 0.05 >/dev/null )
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
	@if ! "$(VENV_BIN)/python" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("unionhub.bench") is None)'; then
		echo "bench: unionhub.bench does not exist yet"
		exit 0
	fi
	url="$$("$(ENSURE_DB)" $(BENCH_DB_NAME))"
	cd backend
	DATABASE_URL="$$url" "$(VENV_BIN)/python" -m unionhub.bench $(BENCH_ARGS)

clean: ## remove the venv, caches and build output (keeps .data/, the private database)
	@rm -rf "$(VENV)" backend/*.egg-info frontend/dist frontend/node_modules .bench
	find backend -type d \( -name __pycache__ -o -name .pytest_cache -o -name .mypy_cache \
		-o -name .ruff_cache \) -prune -exec rm -rf {} +
