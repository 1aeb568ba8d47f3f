#!/usr/bin/env bash
# Make sure a PostgreSQL server is reachable and a database exists on it, then print the
# SQLAlchemy URL (postgresql+asyncpg://...) of that database on stdout. Everything else goes
# to stderr, so callers can write:  url="$(scripts/ensure-db.sh unionhub_test --drop)"
#
# Usage: scripts/ensure-db.sh [DBNAME] [--drop | --remove | --stop]
#   DBNAME    database to ensure. Default: the database named in DATABASE_URL, else "unionhub".
#   --drop    drop the database first (terminating its connections), then create it afresh
#   --remove  drop the database and exit (prints nothing)
#   --stop    stop the private cluster under .data/postgres if it is running, and exit
#
# Which server, in order:
#   1. DATABASE_URL, if set (its database name is replaced by DBNAME when one is given);
#   2. a server accepting connections on $PGCHECK_HOST:$PGCHECK_PORT (127.0.0.1:5432),
#      as user postgres without a password (trust auth);
#   3. a private cluster under $PRIVATE_PG_DIR (.data/postgres), created and started with the
#      PostgreSQL server binaries found in $PG_BINDIR or /usr/lib/postgresql/*/bin
#      (trust auth, 127.0.0.1:$PRIVATE_PG_PORT (5433), unix socket inside .data);
#   4. otherwise: explain what to do and exit 1.
#
# Overrides, mainly for testing the fallbacks: PGCHECK_HOST, PGCHECK_PORT, PRIVATE_PG_DIR,
# PRIVATE_PG_PORT, PG_BINDIR (set to a missing folder to pretend no server binaries exist).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGCHECK_HOST="${PGCHECK_HOST:-127.0.0.1}"
PGCHECK_PORT="${PGCHECK_PORT:-5432}"
PRIVATE_PG_DIR="${PRIVATE_PG_DIR:-$ROOT/.data/postgres}"
PRIVATE_PG_PORT="${PRIVATE_PG_PORT:-5433}"
REQUIRED_EXTENSIONS=(btree_gist ltree pg_trgm unaccent)

log() { printf 'ensure-db: %s\n' "$*" >&2; }
die() { printf 'ensure-db: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- arguments
DBNAME=""
MODE="ensure"
for arg in "$@"; do
    case "$arg" in
        --drop) MODE="drop" ;;
        --remove) MODE="remove" ;;
        --stop) MODE="stop" ;;
        -h | --help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
        -*) die "unknown option: $arg" ;;
        *)
            [[ -z "$DBNAME" ]] || die "only one database name may be given"
            DBNAME="$arg"
            ;;
    esac
done

# ---------------------------------------------------------------- tools
find_pg_bindir() {
    # Newest installed server version first.
    if [[ -n "${PG_BINDIR:-}" ]]; then
        [[ -x "$PG_BINDIR/initdb" && -x "$PG_BINDIR/pg_ctl" ]] && echo "$PG_BINDIR"
        return 0
    fi
    local dir
    for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            echo "$dir"
            return 0
        fi
    done
}

find_client() { # find_client psql -> path of a client program, or nothing
    local name="$1" dir
    if command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
        return 0
    fi
    for dir in ${PG_BINDIR:-} $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
        if [[ -x "$dir/$name" ]]; then
            echo "$dir/$name"
            return 0
        fi
    done
}

PSQL="$(find_client psql)"
PG_ISREADY="$(find_client pg_isready)"

# ---------------------------------------------------------------- URLs
# Split a database URL into globals: URL_AUTH (user[:password]@host[:port]), URL_DB, URL_QUERY.
parse_url() {
    local url="$1"
    local re='^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(/([^?#]*))?(\?[^#]*)?$'
    [[ "$url" =~ $re ]] || die "cannot parse database URL: $(redact "$url")"
    case "${BASH_REMATCH[1]}" in
        postgres | postgresql | postgresql+*) ;;
        *) die "not a PostgreSQL URL: $(redact "$url")" ;;
    esac
    URL_AUTH="${BASH_REMATCH[2]}"
    URL_DB="${BASH_REMATCH[4]}"
    URL_QUERY="${BASH_REMATCH[5]}"
}

# SQLAlchemy/asyncpg URL of database $1 on the parsed server.
sqlalchemy_url() { printf 'postgresql+asyncpg://%s/%s%s' "$URL_AUTH" "$1" "$URL_QUERY"; }

# libpq URL of database $1 on the parsed server (asyncpg's ?ssl= is libpq's ?sslmode=).
libpq_url() {
    printf 'postgresql://%s/%s%s' "$URL_AUTH" "$1" "${URL_QUERY//ssl=/sslmode=}"
}

redact() { sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#' <<<"$1"; }

# ---------------------------------------------------------------- server checks
is_ready() { # is_ready HOST PORT
    if [[ -n "$PG_ISREADY" ]]; then
        "$PG_ISREADY" -q -h "$1" -p "$2" -t 3 >/dev/null 2>&1
    else
        # No pg_isready: at least see whether something listens on the port.
        timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
    fi
}

url_is_ready() { # url_is_ready LIBPQ_URL
    if [[ -n "$PG_ISREADY" ]]; then
        "$PG_ISREADY" -q -t 5 -d "$1" >/dev/null 2>&1
    else
        "$PSQL" "$1" -XAtqc 'select 1' >/dev/null 2>&1
    fi
}

run_as_owner() { # run a server binary as the private cluster's owner (initdb refuses root)
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

private_pg_ctl() { # private_pg_ctl ARGS... -> pg_ctl on the private cluster
    local bindir="$1"
    shift
    run_as_owner "$bindir/pg_ctl" -D "$PRIVATE_PG_DIR/data" "$@"
}

start_private_cluster() {
    local bindir="$1"
    local data="$PRIVATE_PG_DIR/data" sockets="$PRIVATE_PG_DIR/run" logfile="$PRIVATE_PG_DIR/postgres.log"

    if [[ "$(id -u)" == 0 ]] && ! id -u postgres >/dev/null 2>&1; then
        die "running as root and there is no 'postgres' user to own a private cluster;" \
            "set DATABASE_URL to a reachable PostgreSQL instead"
    fi
    mkdir -p "$PRIVATE_PG_DIR"
    if [[ "$(id -u)" == 0 ]]; then
        chown postgres: "$PRIVATE_PG_DIR"
        runuser -u postgres -- test -w "$PRIVATE_PG_DIR" ||
            die "user postgres cannot write to $PRIVATE_PG_DIR (check the permissions of its parents)"
    fi

    if [[ ! -f "$data/PG_VERSION" ]]; then
        log "creating a private PostgreSQL cluster in $data ($bindir)"
        local locale=C
        if locale -a 2>/dev/null | grep -qix 'c\.utf-\{0,1\}8'; then locale=C.UTF-8; fi
        run_as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust \
            --encoding=UTF8 --locale="$locale" >"$PRIVATE_PG_DIR/initdb.log" 2>&1 ||
            die "initdb failed; see $PRIVATE_PG_DIR/initdb.log"
        cat >>"$data/postgresql.conf" <<EOF

# --- UnionHub private development cluster (scripts/ensure-db.sh) ---
listen_addresses = '127.0.0.1'
port = $PRIVATE_PG_PORT
unix_socket_directories = '$sockets'
fsync = off
EOF
    fi
    run_as_owner mkdir -p "$sockets"

    if private_pg_ctl "$bindir" status >/dev/null 2>&1; then
        return 0
    fi
    log "starting the private PostgreSQL cluster on 127.0.0.1:$PRIVATE_PG_PORT (log: $logfile)"
    private_pg_ctl "$bindir" -l "$logfile" -w -t 60 start >/dev/null ||
        die "the private cluster did not start; see $logfile"
}

# ---------------------------------------------------------------- --stop
if [[ "$MODE" == stop ]]; then
    BINDIR="$(find_pg_bindir)"
    if [[ -n "$BINDIR" && -f "$PRIVATE_PG_DIR/data/PG_VERSION" ]] &&
        private_pg_ctl "$BINDIR" status >/dev/null 2>&1; then
        private_pg_ctl "$BINDIR" -m fast -w stop >/dev/null
        log "private cluster stopped"
    else
        log "no private cluster is running"
    fi
    exit 0
fi

# ---------------------------------------------------------------- pick the server
[[ -n "$PSQL" ]] || die "psql (the PostgreSQL client) is not installed; install postgresql-client"

if [[ -n "${DATABASE_URL:-}" ]]; then
    parse_url "$DATABASE_URL"
    DBNAME="${DBNAME:-${URL_DB:-unionhub}}"
    url_is_ready "$(libpq_url postgres)" ||
        die "DATABASE_URL points at a server that does not accept connections: $(redact "$DATABASE_URL")"
    log "using the server of DATABASE_URL"
elif is_ready "$PGCHECK_HOST" "$PGCHECK_PORT"; then
    parse_url "postgresql://postgres@$PGCHECK_HOST:$PGCHECK_PORT/"
    log "using the PostgreSQL server on $PGCHECK_HOST:$PGCHECK_PORT"
else
    BINDIR="$(find_pg_bindir)"
    if [[ -z "$BINDIR" ]]; then
        die "no PostgreSQL is accepting connections on $PGCHECK_HOST:$PGCHECK_PORT and no" \
            "server binaries were found in /usr/lib/postgresql/*/bin. Either set DATABASE_URL" \
            "to a reachable PostgreSQL 15+ (for example" \
            "DATABASE_URL=postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/unionhub)," \
            "or run 'docker compose up -d postgres' and use that URL."
    fi
    start_private_cluster "$BINDIR"
    parse_url "postgresql://postgres@127.0.0.1:$PRIVATE_PG_PORT/"
    log "using the private PostgreSQL cluster on 127.0.0.1:$PRIVATE_PG_PORT"
fi
DBNAME="${DBNAME:-unionhub}"
[[ "$DBNAME" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] ||
    die "database name must be a plain identifier (letters, digits, _): $DBNAME"
[[ "$DBNAME" != postgres && "$DBNAME" != template0 && "$DBNAME" != template1 ]] ||
    die "refusing to use the maintenance database '$DBNAME'"

# ---------------------------------------------------------------- the database
MAINT_URL="$(libpq_url postgres)"
psql_maint() { "$PSQL" "$MAINT_URL" -X -v ON_ERROR_STOP=1 -Atq "$@"; }

if [[ "$MODE" == drop || "$MODE" == remove ]]; then
    log "dropping database $DBNAME (if it exists)"
    psql_maint -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$DBNAME\" WITH (FORCE)" >/dev/null
    [[ "$MODE" == remove ]] && exit 0
fi

if [[ "$(psql_maint -c "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" != 1 ]]; then
    log "creating database $DBNAME"
    if [[ "$(psql_maint -c "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template1'")" == UTF8 ]]; then
        psql_maint -c "CREATE DATABASE \"$DBNAME\"" >/dev/null
    else
        # Vietnamese text needs UTF8 whatever the cluster default is.
        psql_maint -c "CREATE DATABASE \"$DBNAME\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" >/dev/null
    fi
fi

# The migrations CREATE EXTENSION these; fail early with a useful message if the server lacks them.
available="$(psql_maint -c "SELECT count(*) FROM pg_available_extensions WHERE name IN ($(printf "'%s'," "${REQUIRED_EXTENSIONS[@]}" | sed 's/,$//'))")"
if [[ "$available" != "${#REQUIRED_EXTENSIONS[@]}" ]]; then
    die "the server lacks some of the extensions ${REQUIRED_EXTENSIONS[*]};" \
        "install the PostgreSQL contrib package (Debian: postgresql-contrib) or use the postgres:15 image"
fi

sqlalchemy_url "$DBNAME"
echo
