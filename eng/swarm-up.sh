#!/usr/bin/env bash
# Runs the platform on Docker Swarm on this machine: deploy/swarm/stack.yml as the stack "participatie".
#
#  1. a Docker engine (eng/ensure-docker.sh) in swarm mode (`docker swarm init` on a single node when it is not);
#  2. the images: PostgreSQL/RabbitMQ (eng/container-images.sh), the platform's own (eng/swarm-images.sh), offline;
#  3. on the first run, the secrets: random passwords and keys in artifacts/swarm/env/ (outside git, mode 600), from
#     which each process gets only its own env file, as the Kubernetes manifests' secrets;
#  4. the stack, its application services at 0 replicas when the stack is new; PostgreSQL and RabbitMQ healthy;
#  5. each service's and web client's migration job: its image with --migrate-only as the database's owner, before any
#     replica of the new image runs (as Kubernetes' migration Jobs); a database an older volume lacks is made first;
#  6. the stack at 2 replicas each, rolled out start-first; waits until every service has 2/2 healthy replicas;
#  7. with a new database, the demo data (tools/DemoData through the gateway; --no-demo-data skips it).
#
# Usage: eng/swarm-up.sh [--no-demo-data]     Environment: GATEWAY_PORT (default 8080), SWARM_WAIT_SECONDS (600)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(dirname "$SCRIPT_DIR")"
STACK=participatie
STACK_FILE="$REPO_ROOT/deploy/swarm/stack.yml"
OUT="$REPO_ROOT/artifacts/swarm"
export SWARM_ENV="$OUT/env"
export GATEWAY_PORT="${GATEWAY_PORT:-8080}"
WAIT_SECONDS="${SWARM_WAIT_SECONDS:-600}"
SERVICES=(partner-coordination residents consultations notifications)
# The web clients' databases hold their Data Protection key rings (BuildingBlocks/DataProtection/WebClientKeyRing.cs).
WEB_CLIENTS=(resident-portal partner-console)
declare -A DATABASE=([partner-coordination]=partnersdb [residents]=residentsdb [consultations]=consultationsdb [notifications]=notificationsdb
    [resident-portal]=residentportaldb [partner-console]=partnerconsoledb)

demo_data=true
for argument in "$@"; do
    case "$argument" in
        --no-demo-data) demo_data=false ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "swarm-up: unknown argument $argument" >&2; exit 2 ;;
    esac
done

log() { printf 'swarm-up: %s\n' "$*" >&2; }
die() { printf 'swarm-up: ERROR: %s\n' "$*" >&2; exit 1; }

# ---- 1. Docker in swarm mode ---------------------------------------------------------------------------------------
"$SCRIPT_DIR/ensure-docker.sh"
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
    log "docker swarm init (a single-node swarm)..."
    docker swarm init >/dev/null 2>&1 || docker swarm init --advertise-addr 127.0.0.1 >/dev/null \
        || die "docker swarm init failed"
fi
[ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] || die "this node is no swarm manager"

# ---- 2. images ----------------------------------------------------------------------------------------------------
eval "$("$SCRIPT_DIR/container-images.sh")"
export POSTGRES_IMAGE="$PARTICIPATIE_POSTGRES_IMAGE:$PARTICIPATIE_POSTGRES_TAG"
export RABBITMQ_IMAGE="$PARTICIPATIE_RABBITMQ_IMAGE:$PARTICIPATIE_RABBITMQ_TAG"
"$SCRIPT_DIR/swarm-images.sh"
set -a
# shellcheck disable=SC1091
. "$OUT/images.env"
set +a

# ---- 3. secrets (first run only) ------------------------------------------------------------------------------------
secret() { head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32; }

mkdir -p "$SWARM_ENV"
chmod 700 "$SWARM_ENV"
umask 077
if [ ! -f "$SWARM_ENV/secrets.env" ]; then
    log "generating passwords and keys in ${SWARM_ENV#"$REPO_ROOT"/}/secrets.env..."
    {
        echo "POSTGRES_PASSWORD=$(secret)"
        echo "RABBITMQ_ADMIN_PASSWORD=$(secret)"
        for service in "${SERVICES[@]}"; do
            name="$(printf '%s' "$service" | tr 'a-z-' 'A-Z_')"
            echo "${name}_DB_PASSWORD=$(secret)"
            echo "${name}_BROKER_PASSWORD=$(secret)"
        done
        echo "PLATFORM_OPERATOR_SECRET=$(secret)"
        echo "TOKEN_KEY_ENCRYPTION_KEY=$(secret)"
        echo "RESIDENT_IDENTIFIER_KEY=$(secret)"
        echo "NOTIFICATIONS_CLIENT_SECRET=$(secret)"
        echo "SMS_API_KEY=$(secret)"
        echo "SMS_REPORT_SECRET=$(secret)"
    } >"$SWARM_ENV/secrets.env"
fi
# Secrets added after a stack's first run (the web clients' databases and key rings) join the existing file.
for client in "${WEB_CLIENTS[@]}"; do
    name="$(printf '%s' "$client" | tr 'a-z-' 'A-Z_')"
    for variable in "${name}_DB_PASSWORD" "${name}_KEY_RING_KEY"; do
        grep -q "^$variable=" "$SWARM_ENV/secrets.env" || echo "$variable=$(secret)" >>"$SWARM_ENV/secrets.env"
    done
done
# shellcheck disable=SC1091
. "$SWARM_ENV/secrets.env"

db_password() { local name; name="$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')_DB_PASSWORD"; printf '%s' "${!name}"; }
broker_password() { local name; name="$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')_BROKER_PASSWORD"; printf '%s' "${!name}"; }
service_connection() {
    printf 'Host=postgres;Port=5432;Database=%s;Username=%s_service;Password=%s' "${DATABASE[$1]}" "${DATABASE[$1]}" "$(db_password "$1")"
}

# The env files are written again on every run from secrets.env, so that a changed recipe here reaches the stack.
printf '%s' "$POSTGRES_PASSWORD" >"$SWARM_ENV/postgres-password"
for service in "${SERVICES[@]}" "${WEB_CLIENTS[@]}"; do
    database="${DATABASE[$service]}"
    {
        echo "ConnectionStrings__$database=$(service_connection "$service")"
    } >"$SWARM_ENV/$service.env"
    # The migration job alone holds the owner's connection; it creates the service's role with the service's password.
    {
        echo "ASPNETCORE_ENVIRONMENT=Production"
        echo "ConnectionStrings__$database-owner=Host=postgres;Port=5432;Database=$database;Username=participatie_owner;Password=$POSTGRES_PASSWORD"
        echo "ConnectionStrings__$database=$(service_connection "$service")"
    } >"$SWARM_ENV/$service-migrations.env"
done
for service in "${SERVICES[@]}"; do
    echo "ConnectionStrings__messaging=amqp://$service-service:$(broker_password "$service")@rabbitmq:5672" >>"$SWARM_ENV/$service.env"
done
for client in "${WEB_CLIENTS[@]}"; do
    name="$(printf '%s' "$client" | tr 'a-z-' 'A-Z_')_KEY_RING_KEY"
    echo "DataProtection__KeyEncryptionKey=${!name}" >>"$SWARM_ENV/$client.env"
done
cat >>"$SWARM_ENV/partner-coordination.env" <<EOF
Identity__PlatformOperatorSecret=$PLATFORM_OPERATOR_SECRET
Identity__TokenKeyEncryptionKey=$TOKEN_KEY_ENCRYPTION_KEY
Identity__ResidentIdentifierKey=$RESIDENT_IDENTIFIER_KEY
Identity__ServiceClients__notifications__Secret=$NOTIFICATIONS_CLIENT_SECRET
EOF
echo "Identity__ResidentIdentifierKey=$RESIDENT_IDENTIFIER_KEY" >>"$SWARM_ENV/residents.env"
# No mail server or SMS provider in the stack: mails and SMS wait (and are retried) until one is configured here.
cat >>"$SWARM_ENV/notifications.env" <<EOF
Residents__ClientSecret=$NOTIFICATIONS_CLIENT_SECRET
Sms__ApiKey=$SMS_API_KEY
Sms__ReportSecret=$SMS_REPORT_SECRET
Delivery__Email__SmtpHost=localhost
Delivery__Email__SmtpPort=25
EOF

# RabbitMQ's users with salted SHA-256 password hashes (rabbit_password_hashing_sha256), as its definitions import wants.
rabbit_hash() {
    local salt
    salt="$(mktemp)"
    head -c 4 /dev/urandom >"$salt"
    { cat "$salt"; printf '%s' "$1" | cat "$salt" - | openssl dgst -sha256 -binary; } | base64 -w0
    rm -f "$salt"
}
if [ ! -f "$SWARM_ENV/rabbitmq-definitions.json" ]; then
    command -v openssl >/dev/null 2>&1 || die "openssl is needed to hash the broker's passwords"
    {
        printf '{"vhosts":[{"name":"/"}],"users":[{"name":"participatie","password_hash":"%s","hashing_algorithm":"rabbit_password_hashing_sha256","tags":["administrator"]}' \
            "$(rabbit_hash "$RABBITMQ_ADMIN_PASSWORD")"
        for service in "${SERVICES[@]}"; do
            printf ',{"name":"%s-service","password_hash":"%s","hashing_algorithm":"rabbit_password_hashing_sha256","tags":[]}' \
                "$service" "$(rabbit_hash "$(broker_password "$service")")"
        done
        printf '],"permissions":[{"user":"participatie","vhost":"/","configure":".*","write":".*","read":".*"}'
        for service in "${SERVICES[@]}"; do
            # eng/BrokerUsers.cs: the service's own queues, the contracts' exchanges and MassTransit's fault exchanges.
            permission="^(${service}-.*|Participatie\\\\.Contracts:.*|MassTransit:Fault.*)\$"
            printf ',{"user":"%s-service","vhost":"/","configure":"%s","write":"%s","read":"%s"}' \
                "$service" "$permission" "$permission" "$permission"
        done
        printf ']}\n'
    } >"$SWARM_ENV/rabbitmq-definitions.json"
fi
umask 022

# ---- 4. the stack, infrastructure first ------------------------------------------------------------------------------
service_replicas() { docker service ls --filter "name=${STACK}_$1" --format '{{.Name}} {{.Replicas}}' | awk -v n="${STACK}_$1" '$1 == n { print $2 }'; }

wait_for() {
    # wait_for <replicas wanted> <service...>: until each has that many running (= healthy) tasks.
    local wanted="$1" deadline=$((SECONDS + WAIT_SECONDS)) service pending
    shift
    while :; do
        pending=()
        for service in "$@"; do
            [ "$(service_replicas "$service")" = "$wanted/$wanted" ] || pending+=("$service")
        done
        [ "${#pending[@]}" -eq 0 ] && return 0
        if [ "$SECONDS" -ge "$deadline" ]; then
            docker service ls --filter "label=com.docker.stack.namespace=$STACK" >&2
            for service in "${pending[@]}"; do
                docker service ps --no-trunc --format '{{.Name}} {{.CurrentState}} {{.Error}}' "${STACK}_$service" | head -n 5 >&2
            done
            die "not every service reached $wanted/$wanted healthy replicas within ${WAIT_SECONDS}s: ${pending[*]}"
        fi
        sleep 3
    done
}

deploy() {
    APP_REPLICAS="$1" docker stack deploy --resolve-image never --prune -c "$STACK_FILE" "$STACK" >/dev/null
}

new_database=false
docker volume inspect "${STACK}_postgres-data" >/dev/null 2>&1 || new_database=true
if ! docker stack ls --format '{{.Name}}' | grep -qx "$STACK"; then
    log "deploying stack $STACK (PostgreSQL and RabbitMQ first)..."
    deploy 0
else
    log "stack $STACK exists; its services keep running while the migrations run"
fi
wait_for 1 postgres rabbitmq

# ---- 5. migration jobs -------------------------------------------------------------------------------------------
# A volume made before a database was added to postgres-databases.sql (which runs on a new volume only) lacks it.
for database in "${DATABASE[@]}"; do
    docker run --rm --network "${STACK}_backend" -e PGPASSWORD="$POSTGRES_PASSWORD" "$POSTGRES_IMAGE" \
        psql -h postgres -U participatie_owner -d participatie -v ON_ERROR_STOP=1 -qtAc "SELECT 1 FROM pg_database WHERE datname = '$database'" \
        | grep -q 1 && continue
    log "creating database $database..."
    docker run --rm --network "${STACK}_backend" -e PGPASSWORD="$POSTGRES_PASSWORD" "$POSTGRES_IMAGE" \
        psql -h postgres -U participatie_owner -d participatie -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $database" >/dev/null \
        || die "could not create database $database"
done
for service in "${SERVICES[@]}" "${WEB_CLIENTS[@]}"; do
    image_var="$(printf '%s' "$service" | tr 'a-z-' 'A-Z_')_IMAGE"
    log "migrations of $service (${!image_var} --migrate-only)..."
    docker run --rm --network "${STACK}_backend" --env-file "$SWARM_ENV/$service-migrations.env" \
        --memory 256m --name "${STACK}-${service}-migrations" "${!image_var}" --migrate-only \
        >"$OUT/migrations-$service.log" 2>&1 \
        || { tail -n 30 "$OUT/migrations-$service.log" >&2; die "the migration job of $service failed"; }
done

# ---- 6. two replicas of everything ------------------------------------------------------------------------------------
# A new stack's services come up one at a time: a dozen .NET processes starting at once on a small node starve each
# other past their health checks' start period. (The token server first: the others fetch its keys.)
for service in partner-coordination residents consultations notifications gateway; do
    if [ "$(service_replicas "$service")" = "0/0" ]; then
        log "starting $service (2 replicas)..."
        docker service scale --detach "${STACK}_$service=2" >/dev/null
        wait_for 2 "$service"
    fi
done
log "deploying stack $STACK with 2 replicas of each service (rolling, start-first)..."
deploy 2
wait_for 2 partner-coordination residents consultations notifications gateway
wait_for 1 resident-portal partner-console
wait_for 1 edge
log "every service has 2/2 healthy replicas"

# ---- 7. demo data ------------------------------------------------------------------------------------------------
gateway="http://localhost:$GATEWAY_PORT"
if [ "$demo_data" = true ] && [ "$new_database" = true ]; then
    log "loading the demo data through $gateway (tools/DemoData; log: artifacts/swarm/demo-data.log)..."
    if services__gateway__http__0="$gateway" Identity__PlatformOperatorSecret="$PLATFORM_OPERATOR_SECRET" \
        DemoData__CredentialsFile="$OUT/demo-clients.env" DOTNET_ENVIRONMENT=Production \
        dotnet run --project "$REPO_ROOT/tools/DemoData/DemoData.csproj" >"$OUT/demo-data.log" 2>&1; then
        log "demo clients' credentials in artifacts/swarm/demo-clients.env"
    else
        tail -n 20 "$OUT/demo-data.log" >&2
        log "the demo data failed (the stack runs; see artifacts/swarm/demo-data.log)"
    fi
fi

docker service ls --filter "label=com.docker.stack.namespace=$STACK" --format 'table {{.Name}}\t{{.Replicas}}\t{{.Image}}' >&2
cat <<EOF

  Participatie runs on Docker Swarm (stack $STACK).
  Gateway:   $gateway  (also http://participatie.localhost:$GATEWAY_PORT, the tokens' issuer)
  Replicas:  docker service ls        Remove:  eng/swarm-down.sh [--volumes]

EOF
