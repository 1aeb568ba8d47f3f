#!/bin/sh
# Container start: bring the schema up to date, then serve the API.
set -eu

# Compose passes JWT_SECRET through as an empty string when it is not set; an empty value
# would override the application's default, so drop it (production refuses the default).
if [ -z "${JWT_SECRET:-}" ]; then
    unset JWT_SECRET
fi

cd /app
alembic upgrade head
# The official administrative list (provinces, communes/wards) from the installed
# vietnam-provinces package: idempotent, and how a newer package's list reaches the database.
unionhub places load

# Extra arguments are passed on to uvicorn (e.g. --workers 2). The application, not uvicorn,
# decides whose X-Forwarded-* to believe: only FORWARDED_ALLOW_IPS (compose: its nginx).
exec uvicorn unionhub.main:app --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" --no-proxy-headers "$@"
