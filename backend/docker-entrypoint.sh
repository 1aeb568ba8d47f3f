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

# Extra arguments are passed on to uvicorn (e.g. --workers 2). uvicorn trusts X-Forwarded-*
# only from FORWARDED_ALLOW_IPS (default 127.0.0.1); compose sets it for its nginx.
exec uvicorn unionhub.main:app --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" --proxy-headers "$@"
