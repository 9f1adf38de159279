#!/usr/bin/env bash
# Entrypoint for participatie/postgres, compatible with the official postgres
# image's entrypoint for the features this project uses:
#   POSTGRES_USER (default postgres), POSTGRES_PASSWORD, POSTGRES_DB (default
#   $POSTGRES_USER), POSTGRES_INITDB_ARGS, POSTGRES_INITDB_WALDIR,
#   POSTGRES_HOST_AUTH_METHOD, *_FILE variants, PGDATA,
#   /docker-entrypoint-initdb.d/*.{sh,sql,sql.gz,sql.xz,sql.zst},
#   `docker run img -c key=value` and `docker run img postgres -c key=value`.
set -Eeuo pipefail

log() { printf '%s\n' "$*"; }
err() { printf 'docker-entrypoint: %s\n' "$*" >&2; }

# VAR_FILE support: file_env VAR [default]
file_env() {
    local var="$1" fileVar="${1}_FILE" def="${2:-}"
    if [ -n "${!var:-}" ] && [ -n "${!fileVar:-}" ]; then
        err "both $var and $fileVar are set (but are exclusive)"
        exit 1
    fi
    local val="$def"
    if [ -n "${!var:-}" ]; then
        val="${!var}"
    elif [ -n "${!fileVar:-}" ]; then
        val="$(<"${!fileVar}")"
    fi
    export "$var"="$val"
    unset "$fileVar"
}

# `docker run img -c fsync=off` -> postgres -c fsync=off
if [ "$#" -eq 0 ] || [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
fi

# Any other command (bash, psql, ...) runs as given, as do informational
# postgres invocations (postgres --version, -C setting, --help, ...).
if [ "$1" != 'postgres' ]; then
    exec "$@"
fi
for arg in "${@:2}"; do
    case "$arg" in
        '-?'|--help|--describe-config|-V|--version|-C|-C*) exec "$@" ;;
    esac
done

export PGDATA="${PGDATA:-/var/lib/postgresql/data}"

# Running as root: prepare directories, then re-run this script as postgres.
if [ "$(id -u)" = '0' ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chmod 00700 "$PGDATA" || :
    chmod 03775 /var/run/postgresql || :
    if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
        mkdir -p "$POSTGRES_INITDB_WALDIR"
        find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres:postgres '{}' +
        chmod 700 "$POSTGRES_INITDB_WALDIR"
    fi
    find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
    chown postgres:postgres /var/run/postgresql
    exec setpriv --reuid=postgres --regid=postgres --init-groups \
        env HOME=/var/lib/postgresql "$0" "$@"
fi

file_env POSTGRES_PASSWORD
file_env POSTGRES_USER postgres
file_env POSTGRES_DB "$POSTGRES_USER"
file_env POSTGRES_INITDB_ARGS
: "${POSTGRES_HOST_AUTH_METHOD:=}"

if [ -s "$PGDATA/PG_VERSION" ]; then
    log ""
    log "PostgreSQL Database directory appears to contain a database; Skipping initialization"
    log ""
    exec "$@"
fi

# ---- first start: initialise the cluster -------------------------------------
if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != 'trust' ]; then
    cat >&2 <<'EOM'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.
EOM
    exit 1
fi

# Defaults first; POSTGRES_INITDB_ARGS may override them (initdb: last wins).
initdb_args=(--username="$POSTGRES_USER" --encoding=UTF8 --locale=C.UTF-8)
if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    initdb_args+=(--waldir="$POSTGRES_INITDB_WALDIR")
fi
# Word-split POSTGRES_INITDB_ARGS honouring shell quotes, like the official image.
eval "extra_initdb_args=( ${POSTGRES_INITDB_ARGS} )"
initdb_args+=("${extra_initdb_args[@]}")

if [ -n "$POSTGRES_PASSWORD" ]; then
    # The password goes through a pipe, never through a command line or SQL.
    initdb "${initdb_args[@]}" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD")
else
    initdb "${initdb_args[@]}"
fi

# Remote (TCP) connections from anywhere.
auth="$POSTGRES_HOST_AUTH_METHOD"
if [ -z "$auth" ]; then
    if [ -n "$POSTGRES_PASSWORD" ]; then
        auth="$(postgres -C password_encryption 2>/dev/null || echo scram-sha-256)"
    else
        auth=trust
    fi
fi
if [ "$auth" = 'trust' ]; then
    err "WARNING: POSTGRES_HOST_AUTH_METHOD=trust allows all connections without a password."
fi
{
    printf '\n'
    printf 'host all all all %s\n' "$auth"
} >>"$PGDATA/pg_hba.conf"

# Temporary server on the unix socket only, so that TCP clients (and
# `pg_isready --host localhost`) see the server only after initialisation.
export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
temp_args=("${@:2}" -c "listen_addresses=" -p "${PGPORT:-5432}")
PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -w -o "$(printf '%q ' "${temp_args[@]}")" start

psql_cmd=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)

if [ "$POSTGRES_DB" != 'postgres' ]; then
    exists="$("${psql_cmd[@]}" --dbname postgres --set db="$POSTGRES_DB" --tuples-only --no-align <<'EOSQL'
SELECT 1 FROM pg_database WHERE datname = :'db';
EOSQL
)"
    if [ -z "$exists" ]; then
        "${psql_cmd[@]}" --dbname postgres --set db="$POSTGRES_DB" <<'EOSQL'
CREATE DATABASE :"db";
EOSQL
        log ""
    fi
fi

shopt -s nullglob
for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
        *.sh)
            if [ -x "$f" ]; then
                log "$0: running $f"
                "$f"
            else
                log "$0: sourcing $f"
                # shellcheck disable=SC1090
                . "$f"
            fi
            ;;
        *.sql)     log "$0: running $f"; "${psql_cmd[@]}" --dbname "$POSTGRES_DB" -f "$f"; log "" ;;
        *.sql.gz)  log "$0: running $f"; gunzip -c "$f" | "${psql_cmd[@]}" --dbname "$POSTGRES_DB"; log "" ;;
        *.sql.xz)  log "$0: running $f"; xzcat "$f" | "${psql_cmd[@]}" --dbname "$POSTGRES_DB"; log "" ;;
        *.sql.zst) log "$0: running $f"; zstd -dc "$f" | "${psql_cmd[@]}" --dbname "$POSTGRES_DB"; log "" ;;
        *)         log "$0: ignoring $f" ;;
    esac
done
shopt -u nullglob

PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -m fast -w stop
unset PGPASSWORD

log ""
log "PostgreSQL init process complete; ready for start up."
log ""

exec "$@"
