#!/usr/bin/env bash
# Decides which PostgreSQL / RabbitMQ container images this machine uses and
# makes sure they exist locally.
#
# - Ensures a Docker engine (eng/ensure-docker.sh).
# - If the official images can be pulled (postgres:17, rabbitmq:4-management),
#   uses them.
# - Otherwise builds participatie/postgres:15 and participatie/rabbitmq:3
#   offline from Debian bookworm packages (debootstrap -> docker import ->
#   eng/images/*/Dockerfile). Builds are reused: an image is rebuilt only when
#   the files in its eng/images/<name> directory (or the base recipe) change.
#
# Output: shell assignments on stdout and in <repo>/artifacts/container-images.env
#   PARTICIPATIE_POSTGRES_IMAGE=...  PARTICIPATIE_POSTGRES_TAG=...
#   PARTICIPATIE_RABBITMQ_IMAGE=...  PARTICIPATIE_RABBITMQ_TAG=...
#   PARTICIPATIE_IMAGES_LOCAL=true|false
# Progress messages go to stderr.
#
# Environment:
#   PARTICIPATIE_IMAGES_MODE   auto (default) | official | local
#   PARTICIPATIE_PULL_TIMEOUT  seconds per `docker pull` attempt (default 20)
#   PARTICIPATIE_DEBIAN_MIRROR Debian mirror for debootstrap (default: the one
#                              apt uses on this machine)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(dirname "$SCRIPT_DIR")"
IMAGES_DIR="$SCRIPT_DIR/images"
ENV_FILE="$REPO_ROOT/artifacts/container-images.env"

OFFICIAL_POSTGRES_IMAGE=postgres
OFFICIAL_POSTGRES_TAG=17
OFFICIAL_RABBITMQ_IMAGE=rabbitmq
OFFICIAL_RABBITMQ_TAG=4-management

LOCAL_POSTGRES_IMAGE=participatie/postgres
LOCAL_POSTGRES_TAG=15
LOCAL_RABBITMQ_IMAGE=participatie/rabbitmq
LOCAL_RABBITMQ_TAG=3

BASE_IMAGE=participatie/debian-base:bookworm
BASE_SUITE=bookworm
# Changing this list (or the suite) rebuilds the base and both images.
BASE_PACKAGES=postgresql-15,rabbitmq-server,netbase,xz-utils,zstd
HASH_LABEL=org.participatie.inputs-hash

log() { printf 'container-images: %s\n' "$*" >&2; }
die() { printf 'container-images: ERROR: %s\n' "$*" >&2; exit 1; }

export PATH="${PATH}:/usr/local/sbin:/usr/sbin:/sbin"

"$SCRIPT_DIR/ensure-docker.sh"

SUDO=()
if [ "$(id -u)" != 0 ]; then
    SUDO=(sudo -n)
fi

# Serialise concurrent runs (they would share the same images).
exec 9>"${TMPDIR:-/tmp}/participatie-container-images.lock"
flock 9

image_label() {
    # image_label <image> -> value of $HASH_LABEL, empty if image/label missing
    docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null || true
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# ---- official images ---------------------------------------------------------
official_available() {
    local img timeout_s="${PARTICIPATIE_PULL_TIMEOUT:-20}"
    for img in "$OFFICIAL_POSTGRES_IMAGE:$OFFICIAL_POSTGRES_TAG" "$OFFICIAL_RABBITMQ_IMAGE:$OFFICIAL_RABBITMQ_TAG"; do
        log "trying docker pull $img (timeout ${timeout_s}s)..."
        if timeout "$timeout_s" docker pull -q "$img" >/dev/null 2>&1; then
            continue
        fi
        if image_exists "$img"; then
            log "pull of $img failed; using the copy already present locally"
            continue
        fi
        log "cannot pull $img; falling back to locally built images"
        return 1
    done
    return 0
}

# ---- local images ------------------------------------------------------------
debian_mirror() {
    if [ -n "${PARTICIPATIE_DEBIAN_MIRROR:-}" ]; then
        echo "$PARTICIPATIE_DEBIAN_MIRROR"
        return
    fi
    local m=""
    # deb822 (*.sources): first enabled "deb" stanza whose Suites contain the plain suite.
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        m=$(awk -v suite="$BASE_SUITE" '
            function flush() {
                if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled !~ /^[ \t]*no/ && (" " suites " ") ~ ("[ \t]" suite "[ \t]") && uris != "") {
                    split(uris, u, /[ \t]+/); print u[1]; found = 1; exit
                }
                types = ""; suites = ""; uris = ""; enabled = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            tolower($1) == "types:"   { sub(/^[^:]*:[ \t]*/, ""); types = $0; next }
            tolower($1) == "uris:"    { sub(/^[^:]*:[ \t]*/, ""); uris = $0; next }
            tolower($1) == "suites:"  { sub(/^[^:]*:[ \t]*/, ""); suites = $0; next }
            tolower($1) == "enabled:" { sub(/^[^:]*:[ \t]*/, ""); enabled = tolower($0); next }
            END { if (!found) flush() }
        ' "$f")
        [ -n "$m" ] && break
    done
    # one-line format: deb [opts] URI suite components...
    if [ -z "$m" ]; then
        m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk -v suite="$BASE_SUITE" '
            $1 == "deb" {
                i = 2
                if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
                if ($(i + 1) == suite) { print $i; exit }
            }')
    fi
    case "$m" in
        http://*|https://*|file:/*) ;;
        *) m="http://deb.debian.org/debian" ;;
    esac
    echo "${m%/}"
}

need_debootstrap() {
    command -v debootstrap >/dev/null 2>&1 && return 0
    log "installing debootstrap (apt)..."
    { "${SUDO[@]}" apt-get update \
        && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap; } \
        >/tmp/container-images-apt.log 2>&1 \
        || { tail -n 20 /tmp/container-images-apt.log >&2; die "apt-get install debootstrap failed"; }
}

ROOTFS=""
cleanup_rootfs() {
    if [ -n "$ROOTFS" ] && [ -d "$ROOTFS" ]; then
        local mp
        # debootstrap normally unmounts these, but not when it fails half-way.
        for mp in proc sys dev/pts dev; do
            if mountpoint -q "$ROOTFS/$mp" 2>/dev/null; then
                "${SUDO[@]}" umount -l "$ROOTFS/$mp" || true
            fi
        done
        "${SUDO[@]}" rm -rf --one-file-system "$ROOTFS"
    fi
}
trap cleanup_rootfs EXIT

build_base() {
    local recipe_hash="$1" mirror
    mirror="$(debian_mirror)"
    need_debootstrap
    ROOTFS="$(mktemp -d /var/tmp/participatie-rootfs.XXXXXX)"
    local cache=/var/cache/participatie-debootstrap
    "${SUDO[@]}" mkdir -p "$cache"
    log "debootstrap $BASE_SUITE from $mirror (takes 1-3 minutes; log: /tmp/participatie-debootstrap.log)..."
    if ! "${SUDO[@]}" debootstrap --variant=minbase --cache-dir="$cache" \
        --include="$BASE_PACKAGES" "$BASE_SUITE" "$ROOTFS" "$mirror" \
        >/tmp/participatie-debootstrap.log 2>&1; then
        tail -n 30 /tmp/participatie-debootstrap.log >&2 || true
        die "debootstrap failed (see /tmp/participatie-debootstrap.log)"
    fi
    # Slim down; drop the cluster the postgresql package created on install.
    "${SUDO[@]}" rm -rf \
        "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
        "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
        "$ROOTFS"/etc/postgresql/15/main "$ROOTFS"/var/lib/postgresql/15 \
        "$ROOTFS"/var/log/postgresql/* "$ROOTFS"/var/log/rabbitmq/* \
        "$ROOTFS"/var/lib/rabbitmq/.erlang.cookie "$ROOTFS"/var/lib/rabbitmq/mnesia/* \
        "$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/*
    # shellcheck disable=SC2016
    "${SUDO[@]}" sh -c ': > "$1/etc/resolv.conf"; echo localhost > "$1/etc/hostname"' sh "$ROOTFS"
    log "importing rootfs as $BASE_IMAGE..."
    "${SUDO[@]}" tar --numeric-owner --xattrs -C "$ROOTFS" -c . \
        | docker import \
            -c "LABEL $HASH_LABEL=$recipe_hash" \
            -c "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8" \
            -c 'CMD ["bash"]' \
            -m "debootstrap --variant=minbase --include=$BASE_PACKAGES $BASE_SUITE" \
            - "$BASE_IMAGE" >/dev/null
    cleanup_rootfs
    ROOTFS=""
}

dir_hash() {
    # hash of all files (names + contents) in a directory
    (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

ensure_local_images() {
    local recipe_hash pg_hash rmq_hash
    recipe_hash="$(printf '%s\n' "$BASE_SUITE" "$BASE_PACKAGES" | sha256sum | cut -c1-16)"
    pg_hash="$recipe_hash-$(dir_hash "$IMAGES_DIR/postgres")"
    rmq_hash="$recipe_hash-$(dir_hash "$IMAGES_DIR/rabbitmq")"

    local pg_ref="$LOCAL_POSTGRES_IMAGE:$LOCAL_POSTGRES_TAG" rmq_ref="$LOCAL_RABBITMQ_IMAGE:$LOCAL_RABBITMQ_TAG"
    local build_pg=1 build_rmq=1
    [ "$(image_label "$pg_ref")" = "$pg_hash" ] && build_pg=0
    [ "$(image_label "$rmq_ref")" = "$rmq_hash" ] && build_rmq=0
    if [ "$build_pg" = 0 ] && [ "$build_rmq" = 0 ]; then
        log "reusing $pg_ref and $rmq_ref (up to date)"
        return 0
    fi

    if [ "$(image_label "$BASE_IMAGE")" != "$recipe_hash" ]; then
        build_base "$recipe_hash"
    else
        log "reusing $BASE_IMAGE"
    fi

    local build_env=()
    if ! docker buildx version >/dev/null 2>&1; then
        build_env=(env DOCKER_BUILDKIT=0)
    fi
    if [ "$build_pg" = 1 ]; then
        log "building $pg_ref..."
        "${build_env[@]}" docker build --label "$HASH_LABEL=$pg_hash" -t "$pg_ref" "$IMAGES_DIR/postgres" >&2 \
            || die "docker build of $pg_ref failed"
    fi
    if [ "$build_rmq" = 1 ]; then
        log "building $rmq_ref..."
        "${build_env[@]}" docker build --label "$HASH_LABEL=$rmq_hash" -t "$rmq_ref" "$IMAGES_DIR/rabbitmq" >&2 \
            || die "docker build of $rmq_ref failed"
    fi
    # Drop dangling layers of previous builds.
    docker image prune -f --filter "label=$HASH_LABEL" >/dev/null 2>&1 || true
}

# ---- decide ------------------------------------------------------------------
mode="${PARTICIPATIE_IMAGES_MODE:-auto}"
case "$mode" in
    auto)
        if official_available; then local_images=false; else local_images=true; fi ;;
    official)
        official_available || die "PARTICIPATIE_IMAGES_MODE=official but the official images are not available"
        local_images=false ;;
    local)
        local_images=true ;;
    *)
        die "PARTICIPATIE_IMAGES_MODE must be auto, official or local (got '$mode')" ;;
esac

if [ "$local_images" = true ]; then
    ensure_local_images
    pg_image=$LOCAL_POSTGRES_IMAGE pg_tag=$LOCAL_POSTGRES_TAG
    rmq_image=$LOCAL_RABBITMQ_IMAGE rmq_tag=$LOCAL_RABBITMQ_TAG
else
    pg_image=$OFFICIAL_POSTGRES_IMAGE pg_tag=$OFFICIAL_POSTGRES_TAG
    rmq_image=$OFFICIAL_RABBITMQ_IMAGE rmq_tag=$OFFICIAL_RABBITMQ_TAG
fi

content="PARTICIPATIE_POSTGRES_IMAGE=$pg_image
PARTICIPATIE_POSTGRES_TAG=$pg_tag
PARTICIPATIE_RABBITMQ_IMAGE=$rmq_image
PARTICIPATIE_RABBITMQ_TAG=$rmq_tag
PARTICIPATIE_IMAGES_LOCAL=$local_images"

# Testcontainers speaks Docker API 1.44 unless told otherwise; Debian's Docker 20.10 stops at 1.41.
server_api="$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null || true)"
if [ -n "$server_api" ] && [ "$(printf '%s\n1.44\n' "$server_api" | sort -V | head -n1)" != "1.44" ]; then
    content="$content
DOCKER_API_VERSION=$server_api"
fi
# Without a registry the Testcontainers reaper image cannot be pulled; the tests dispose their containers themselves.
if [ "$local_images" = true ]; then
    content="$content
TESTCONTAINERS_RYUK_DISABLED=true"
fi

mkdir -p "$(dirname "$ENV_FILE")"
tmp="$(mktemp "$ENV_FILE.XXXXXX")"
printf '%s\n' "$content" >"$tmp"
mv -f "$tmp" "$ENV_FILE"
printf '%s\n' "$content"
log "wrote ${ENV_FILE#"$REPO_ROOT"/}"
