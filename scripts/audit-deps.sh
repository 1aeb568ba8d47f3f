#!/usr/bin/env bash
# pip-audit of every package pinned in backend/uv.lock (runtime and dev groups) against PyPI's
# advisory data. Called by `make audit` and `make lint`.
#
# Usage: scripts/audit-deps.sh UV PIP_AUDIT
#   UV         the uv binary (exports the lock as a hashed requirements file)
#   PIP_AUDIT  the pip-audit binary (backend/.venv/bin/pip-audit)
#
# AUDIT (environment) says what happens when PyPI's vulnerability data cannot be reached (no
# network, a proxy that blocks /pypi/NAME/VERSION/json, a time-out):
#   require  fail (exit 1): the lock was not audited. The GitHub workflow uses this.
#   warn     print a loud warning and exit 0 (the default: a machine without that part of PyPI
#            can still lint). Known vulnerabilities fail in both modes.
#   off      do not audit.
# pip-audit runs with --strict (a package it cannot look up is an error, never a silent skip)
# and a 15 s socket time-out, all under a 180 s limit, so it never hangs.
set -euo pipefail

UV="$1"
PIP_AUDIT="$2"
MODE="${AUDIT:-warn}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

case "$MODE" in
    off)
        echo "audit: skipped (AUDIT=off)"
        exit 0
        ;;
    warn | require) ;;
    *)
        echo "audit: AUDIT must be require, warn or off (got '$MODE')" >&2
        exit 2
        ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$UV" export --project "$ROOT/backend" --frozen --all-groups --no-emit-project \
    --format requirements-txt --quiet --output-file "$work/requirements.txt"

status=0
timeout 180 "$PIP_AUDIT" --requirement "$work/requirements.txt" --disable-pip --require-hashes \
    --strict --timeout 15 --progress-spinner off >"$work/out" 2>&1 || status=$?

if [[ $status -eq 0 ]]; then
    echo "audit: $(grep -m1 -E '^No known vulnerabilities' "$work/out" || echo 'passed')"
    exit 0
fi
if grep -qE '^Found [0-9]+ known vulnerabilit' "$work/out"; then
    cat "$work/out"
    echo "audit: upgrade the packages above (make lock UPGRADE=1, or raise the floor in" \
        "backend/pyproject.toml) and run make lint again" >&2
    exit 1
fi

# Anything else means pip-audit could not look the packages up.
{
    echo "audit: the locked packages were NOT audited: PyPI's vulnerability data could not be"
    echo "audit: reached (exit $status; pip-audit said:)"
    grep -vE '^\s' "$work/out" | tail -n 3 | sed 's/^/audit:   /'
} >&2
if [[ "$MODE" == require ]]; then
    exit 1
fi
echo "audit: WARNING: continuing without the audit (AUDIT=warn; AUDIT=require makes this fail)" >&2
exit 0
