#!/usr/bin/env bash
# Removes the Docker Swarm stack "participatie" (eng/swarm-up.sh). The database and broker volumes, and the generated
# secrets in artifacts/swarm/env, are kept for the next eng/swarm-up.sh unless --volumes is given. The swarm itself
# stays initialised.
# Usage: eng/swarm-down.sh [--volumes]
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(dirname "$SCRIPT_DIR")"
STACK=participatie

volumes=false
for argument in "$@"; do
    case "$argument" in
        --volumes) volumes=true ;;
        -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
        *) echo "swarm-down: unknown argument $argument" >&2; exit 2 ;;
    esac
done
log() { printf 'swarm-down: %s\n' "$*" >&2; }

if docker stack ls --format '{{.Name}}' 2>/dev/null | grep -qx "$STACK"; then
    log "removing stack $STACK..."
    docker stack rm "$STACK" >/dev/null
fi
# Tasks stop asynchronously; the network and the volumes are free only once every container of the stack is gone.
for _ in $(seq 1 60); do
    [ -z "$(docker ps -aq --filter "label=com.docker.stack.namespace=$STACK")" ] \
        && ! docker network inspect "${STACK}_backend" >/dev/null 2>&1 && break
    sleep 1
done

if [ "$volumes" = true ]; then
    mapfile -t stack_volumes < <(docker volume ls -q --filter "label=com.docker.stack.namespace=$STACK")
    if [ "${#stack_volumes[@]}" -gt 0 ]; then
        log "removing volumes: ${stack_volumes[*]}"
        docker volume rm "${stack_volumes[@]}" >/dev/null
    fi
    # The passwords belong to the removed database and broker: the next swarm-up makes new ones.
    rm -rf "$REPO_ROOT/artifacts/swarm/env" "$REPO_ROOT/artifacts/swarm/demo-clients.env"
fi
log "done"
