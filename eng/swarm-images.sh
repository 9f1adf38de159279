#!/usr/bin/env bash
# Builds the platform's own container images offline, for Docker Swarm (deploy/swarm/stack.yml) and the Kubernetes
# manifests (deploy/k8s): participatie/<name>:<inputs-hash> and :latest for the gateway, the four services and the two
# web clients. Each is a self-contained `dotnet publish -r linux-x64` (no registry, no base image from one) copied onto
# participatie/debian-base:bookworm (eng/container-images.sh builds it) by deploy/swarm/image/Dockerfile.
#
# Like eng/container-images.sh, an image is rebuilt only when its inputs change: the project's folder, the shared
# projects it builds on, the build settings and the image recipe (hashed, kept in the image's label).
#
# Output: artifacts/swarm/images.env with one <NAME>_IMAGE=participatie/<name>:<hash> per image (the stack file reads
# them). Usage: eng/swarm-images.sh [name ...]   (default: all)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(dirname "$SCRIPT_DIR")"
OUT="$REPO_ROOT/artifacts/swarm"
RECIPE="$REPO_ROOT/deploy/swarm/image"
HASH_LABEL=org.participatie.inputs-hash
BASE_IMAGE=participatie/debian-base:bookworm

log() { printf 'swarm-images: %s\n' "$*" >&2; }
die() { printf 'swarm-images: ERROR: %s\n' "$*" >&2; exit 1; }

# name | project file | executable
IMAGES="
gateway|gateway/Gateway/Gateway.csproj|Gateway
partner-coordination|services/PartnerCoordination.Api/PartnerCoordination.Api.csproj|PartnerCoordination.Api
residents|services/Residents.Api/Residents.Api.csproj|Residents.Api
consultations|services/Consultations.Api/Consultations.Api.csproj|Consultations.Api
notifications|services/Notifications.Api/Notifications.Api.csproj|Notifications.Api
resident-portal|clients/ResidentPortal/ResidentPortal.csproj|ResidentPortal
partner-console|clients/PartnerConsole/PartnerConsole.csproj|PartnerConsole
"
# What every project builds on (besides its own folder).
SHARED_INPUTS=(BuildingBlocks Contracts ServiceDefaults Directory.Build.props Directory.Packages.props global.json
    services/Directory.Build.props eng/swarm-images.sh deploy/swarm/image)

# The base image (and the PostgreSQL/RabbitMQ images the stack runs) come from eng/container-images.sh.
"$SCRIPT_DIR/container-images.sh" >/dev/null
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 \
    || PARTICIPATIE_IMAGES_MODE=local "$SCRIPT_DIR/container-images.sh" >/dev/null
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || die "no $BASE_IMAGE (eng/container-images.sh builds it)"

inputs_hash() {
    # Names and contents of the tracked and untracked (not ignored) files of the given paths.
    (cd "$REPO_ROOT" && git ls-files -z --cached --others --exclude-standard -- "$@" \
        | LC_ALL=C sort -zu | xargs -0 -r sha256sum 2>/dev/null) | sha256sum | cut -c1-16
}

image_label() { docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null || true; }

build_env=()
docker buildx version >/dev/null 2>&1 || build_env=(env DOCKER_BUILDKIT=0)

wanted=("$@")
mkdir -p "$OUT"
env_lines=()
while IFS='|' read -r name project executable; do
    [ -n "$name" ] || continue
    project_dir="$(dirname "$project")"
    hash="$(inputs_hash "${SHARED_INPUTS[@]}" "$project_dir")-$(docker image inspect -f '{{.Id}}' "$BASE_IMAGE" | cut -c8-15)"
    ref="participatie/$name:$hash"
    var="$(printf '%s' "$name" | tr 'a-z-' 'A-Z_')_IMAGE"
    env_lines+=("$var=$ref")
    if [ "${#wanted[@]}" -gt 0 ] && ! printf '%s\n' "${wanted[@]}" | grep -qx "$name"; then
        continue
    fi
    if [ "$(image_label "$ref")" = "$hash" ]; then
        log "reusing $ref (up to date)"
        docker tag "$ref" "participatie/$name:latest"
        continue
    fi
    context="$OUT/context/$name"
    rm -rf "$context"
    mkdir -p "$context"
    log "publishing $project (self-contained, linux-x64; log: $OUT/publish-$name.log)..."
    if ! dotnet publish "$REPO_ROOT/$project" -c Release -r linux-x64 --self-contained true \
        -p:UseAppHost=true -p:GenerateDocumentationFile=false -o "$context/app" >"$OUT/publish-$name.log" 2>&1; then
        tail -n 30 "$OUT/publish-$name.log" >&2
        die "dotnet publish of $project failed"
    fi
    [ -x "$context/app/$executable" ] || die "no executable $executable in the publish output of $project"
    cp "$RECIPE/Dockerfile" "$RECIPE/healthcheck" "$context/"
    # The host's CA bundle, for TLS to an outside SMTP/IMAP/SMS provider; an empty file where the host has none.
    if [ -r /etc/ssl/certs/ca-certificates.crt ]; then
        cp /etc/ssl/certs/ca-certificates.crt "$context/"
    else
        : >"$context/ca-certificates.crt"
    fi
    log "building $ref..."
    "${build_env[@]}" docker build -q --build-arg "APP_NAME=$executable" --label "$HASH_LABEL=$hash" \
        -t "$ref" -t "participatie/$name:latest" "$context" >/dev/null || die "docker build of $ref failed"
    rm -rf "$context"
done <<<"$IMAGES"

# Dangling layers of earlier builds of these images.
docker image prune -f --filter "label=$HASH_LABEL" >/dev/null 2>&1 || true
printf '%s\n' "${env_lines[@]}" >"$OUT/images.env"
log "wrote ${OUT#"$REPO_ROOT"/}/images.env"
