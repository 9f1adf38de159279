#!/usr/bin/env bash
# Lists the error queues that hold messages, and moves a queue's failed messages back once the cause is fixed.
#   eng/requeue-errors.sh list
#   eng/requeue-errors.sh requeue <queue>        # <queue>_error -> <queue>, one message at a time, confirmed
# The broker's administrator: PARTICIPATIE_BROKER=amqp://user:password@host:port/vhost (or --broker ...); for `list`
# also its management API, PARTICIPATIE_BROKER_MANAGEMENT=http://host:port/ (default: port 15672 of the broker's host).
# README.md, "When messages land in an error queue", says when and how.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
exec dotnet run --project "$root/tools/ErrorQueues/ErrorQueues.csproj" --verbosity quiet -- "$@"
