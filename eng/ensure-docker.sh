#!/usr/bin/env bash
# Ensures a working Docker engine: `docker info` must succeed afterwards.
#
# - If the engine already answers, exits immediately.
# - Otherwise installs Debian's docker.io (if dockerd is missing) and starts
#   dockerd in the background (systemd when it is PID 1, else nohup/setsid),
#   then waits until `docker info` works.
#
# Environment:
#   DOCKERD_LOG            log file for a dockerd started by this script
#                          (default /var/log/dockerd.log)
#   DOCKERD_EXTRA_ARGS     extra flags for dockerd (word-split); default --userland-proxy=false:
#                          published ports then go through iptables instead of a docker-proxy process
#                          per port, which cost 0.5 ms of CPU per reaction in the benchmark (a fifth of all)
#   DOCKERD_START_TIMEOUT  seconds to wait for the engine (default 60)
set -euo pipefail

log() { printf 'ensure-docker: %s\n' "$*" >&2; }
die() { printf 'ensure-docker: ERROR: %s\n' "$*" >&2; exit 1; }

# dockerd, iptables, runc, containerd live in sbin directories.
export PATH="${PATH}:/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin"

docker_ok() {
    command -v docker >/dev/null 2>&1 && timeout 15 docker info >/dev/null 2>&1
}

if docker_ok; then
    exit 0
fi

if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST}" != "unix:///var/run/docker.sock" ]; then
    die "DOCKER_HOST=${DOCKER_HOST} does not answer 'docker info'; not starting a local engine for a remote/custom DOCKER_HOST."
fi

SUDO=()
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        die "the Docker engine is not reachable and this script needs root (or passwordless sudo) to install/start it."
    fi
fi

# --- install -----------------------------------------------------------------
find_dockerd() {
    # Prefer Debian's docker.io engine; other docker clients (e.g. a static
    # docker 28 CLI in /usr/local/bin) often come without an engine.
    local c
    for c in /usr/sbin/dockerd /usr/bin/dockerd; do
        [ -x "$c" ] && { echo "$c"; return 0; }
    done
    command -v dockerd 2>/dev/null || return 1
}

if ! DOCKERD=$(find_dockerd); then
    command -v apt-get >/dev/null 2>&1 || die "dockerd is not installed and apt-get is not available; install Docker manually."
    log "installing docker.io from Debian (log: /tmp/ensure-docker-apt.log)..."
    if ! { "${SUDO[@]}" apt-get update \
        && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            docker.io iptables ca-certificates; } >/tmp/ensure-docker-apt.log 2>&1; then
        tail -n 30 /tmp/ensure-docker-apt.log >&2 || true
        die "apt-get install docker.io failed (see /tmp/ensure-docker-apt.log)."
    fi
    DOCKERD=$(find_dockerd) || die "docker.io was installed but dockerd was not found."
fi

command -v docker >/dev/null 2>&1 || die "no docker client on PATH (expected /usr/bin/docker from docker.io)."

# --- start -------------------------------------------------------------------
TIMEOUT="${DOCKERD_START_TIMEOUT:-60}"
LOGFILE="${DOCKERD_LOG:-/var/log/dockerd.log}"
if ! { : >>"$LOGFILE"; } 2>/dev/null; then
    LOGFILE=$(mktemp /tmp/dockerd.XXXXXX.log)
fi

wait_for_engine() {
    # $1: pid of the dockerd we started (empty if started by systemd/other)
    local pid="${1:-}" i
    for ((i = 0; i < TIMEOUT * 2; i++)); do
        if timeout 15 docker info >/dev/null 2>&1; then
            return 0
        fi
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            return 1  # dockerd exited
        fi
        sleep 0.5
    done
    return 1
}

start_dockerd() {
    # Starts dockerd detached from this script (survives its exit). Prints the pid.
    # shellcheck disable=SC2086
    "${SUDO[@]}" setsid nohup "$DOCKERD" ${DOCKERD_EXTRA_ARGS-${userland_proxy_flag}} "$@" \
        >>"$LOGFILE" 2>&1 </dev/null &
    echo $!
}

if pgrep -x dockerd >/dev/null 2>&1; then
    # Another dockerd is (still) starting; give it the chance to come up.
    log "dockerd is already running; waiting for it to answer..."
    wait_for_engine "" && exit 0
    die "a dockerd process is running but 'docker info' fails. Check $LOGFILE or stop that dockerd."
fi

if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    "${SUDO[@]}" systemctl start docker >/dev/null 2>&1 || true
    if wait_for_engine ""; then
        exit 0
    fi
    log "systemctl start docker did not bring the engine up; starting dockerd directly."
fi

userland_proxy_flag="--userland-proxy=false"
log_offset=$(stat -c %s "$LOGFILE" 2>/dev/null || echo 0)
pid=$(start_dockerd)
if wait_for_engine "$pid"; then
    exit 0
fi

# One retry without iptables management, for kernels/containers without the
# netfilter support dockerd wants (port publishing still works via docker-proxy).
if tail -c +"$((log_offset + 1))" "$LOGFILE" 2>/dev/null | grep -qiE 'iptables|nat chain|ip6tables'; then
    log "dockerd failed on iptables; retrying with --iptables=false --ip6tables=false"
    "${SUDO[@]}" kill "$pid" 2>/dev/null || true
    sleep 1
    log_offset=$(stat -c %s "$LOGFILE" 2>/dev/null || echo 0)
    # Without iptables only the userland proxy can publish ports.
    userland_proxy_flag=""
    pid=$(start_dockerd --iptables=false --ip6tables=false)
    if wait_for_engine "$pid"; then
        exit 0
    fi
fi

log "dockerd log ($LOGFILE), last lines:"
tail -c +"$((log_offset + 1))" "$LOGFILE" 2>/dev/null | tail -n 25 >&2 || true
if kill -0 "$pid" 2>/dev/null && [ -x /usr/bin/docker ] && timeout 15 /usr/bin/docker info >/dev/null 2>&1; then
    die "dockerd runs and /usr/bin/docker can talk to it, but '$(command -v docker)' cannot; put /usr/bin first on PATH."
fi
die "the Docker engine did not become ready within ${TIMEOUT}s (dockerd: $DOCKERD, log: $LOGFILE)."
