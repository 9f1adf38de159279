#!/usr/bin/env bash
# What both README commands need first: a Docker engine, the PostgreSQL/RabbitMQ images (built offline from
# Debian's packages where no registry answers) and the local mail server (a .NET tool). Quick when everything is
# already there.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

command -v dotnet >/dev/null 2>&1 || { echo "prepare: the .NET SDK (see global.json) is required" >&2; exit 1; }
"$repo_root/eng/container-images.sh" >/dev/null
# The local mail server (smtp4dev) is a .NET tool pinned in .config/dotnet-tools.json; run.sh's AppHost and the
# tests start it from there.
(cd "$repo_root" && dotnet tool restore >/dev/null)
