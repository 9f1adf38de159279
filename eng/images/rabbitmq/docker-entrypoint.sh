#!/usr/bin/env bash
# Entrypoint for participatie/rabbitmq. Starts the broker in the foreground as
# the rabbitmq user with logs on stdout, like the official rabbitmq image.
#
# RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS / RABBITMQ_DEFAULT_VHOST and
# RABBITMQ_NODENAME are read by RabbitMQ itself (no shell/config quoting is
# involved, so any password characters work). RABBITMQ_ERLANG_COOKIE is
# written to $HOME/.erlang.cookie when set.
set -Eeuo pipefail

# `docker run img --some-arg` -> rabbitmq-server --some-arg
if [ "$#" -eq 0 ] || [ "${1:0:1}" = '-' ]; then
    set -- rabbitmq-server "$@"
fi

# Any other command (bash, rabbitmqctl, ...) runs as given.
if [ "$1" != 'rabbitmq-server' ]; then
    exec "$@"
fi

export HOME=/var/lib/rabbitmq

cookie_file="$HOME/.erlang.cookie"

if [ "$(id -u)" = '0' ]; then
    mkdir -p /var/lib/rabbitmq /var/log/rabbitmq
    # Create the cookie before the server starts, so a CLI health check run as
    # root (docker exec) cannot create a root-owned one first.
    if [ -z "${RABBITMQ_ERLANG_COOKIE:-}" ] && [ ! -e "$cookie_file" ]; then
        cookie="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F')"
        (umask 077 && printf '%s' "$cookie" >"$cookie_file")
        unset cookie
    fi
    find /var/lib/rabbitmq /var/log/rabbitmq \! -user rabbitmq -exec chown rabbitmq:rabbitmq '{}' +
    exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$0" "$@"
fi

if [ -n "${RABBITMQ_ERLANG_COOKIE:-}" ]; then
    if [ ! -e "$cookie_file" ] || [ "$(cat "$cookie_file")" != "$RABBITMQ_ERLANG_COOKIE" ]; then
        rm -f "$cookie_file"
        (umask 077 && printf '%s' "$RABBITMQ_ERLANG_COOKIE" >"$cookie_file")
        chmod 600 "$cookie_file"
    fi
fi

cd "$HOME"
shift
# Debian's /usr/sbin/rabbitmq-server wrapper would redirect the output to
# /var/log/rabbitmq/startup_log; run the real script instead.
exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
