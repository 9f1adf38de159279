#!/usr/bin/env bash
# The benchmark of issues 7 and 8: starts the platform in Release in benchmark mode (fixed ports without the development
# proxies, the gateway's rate limit lifted, 1% of traces sampled), stops it and starts it again to time a cold start,
# then drives load from tools/Benchmark (a separate process) and prints each figure against its goal. The table and
# a chart are written to artifacts/bench/. Options after the command go to the load tool, for example
#   eng/bench.sh --duration-seconds 10 --connections 32 --fan-out-residents 20000
# Not part of ./test.sh: it takes the whole machine for about twenty minutes (the last five send 100,000 e-mails).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
bench_started=$(date +%s)
output=artifacts/bench
mkdir -p "$output"

# The ports benchmark mode listens on (gateway, the four services, PostgreSQL, RabbitMQ, the dashboard, the mail
# server's page, SMTP and IMAP), and the bare proxy's (tools/ProxyFloor, started by the load tool).
ports=(5080 5101 5102 5103 5104 5432 5672 15672 15080 5090 5025 5143 5099)
for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is in use (is ./run.sh or another benchmark running?); stop it first." >&2
    exit 1
  fi
done

eng/prepare.sh
set -a
# shellcheck disable=SC1091
. artifacts/container-images.env
set +a

# The chart's labels need a font; a fresh Debian machine may have none.
if ! { command -v fc-list >/dev/null && [ -n "$(fc-list)" ]; }; then
  echo "Installing a font for the chart..."
  apt-get update -qq && apt-get install -y -qq fonts-dejavu-core fontconfig >/dev/null
fi

# Release for every project: the AppHost's child processes inherit it too, so `dotnet run --no-build` picks the
# Release build of each service.
export Configuration=Release
echo "Building (Release)..."
dotnet build AppHost/Participatie.AppHost.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build tools/Benchmark/Benchmark.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
load_tool=tools/Benchmark/bin/Release/net10.0/Benchmark

# The gateway and the four services run as published ReadyToRun builds, compiled ahead of time as a deployment would
# ship them: the AppHost starts them and their migration jobs from here when ParticipatieRunPublished names the
# folder (AppModelExtensions). Without it the JIT compiled MassTransit, Npgsql and the services at every start, most of
# the cold start's CPU on two cores, and kept compiling during the first load runs.
# The bare proxy of tools/ProxyFloor is published the same way; the load tool reads through it as well, to show what
# any reverse proxy costs here next to what the gateway costs.
published="$root/$output/published"
echo "Publishing the gateway and the services ReadyToRun (about 40 s each)..."
rm -rf "$published"
for project in gateway/Gateway/Gateway.csproj services/PartnerCoordination.Api/PartnerCoordination.Api.csproj \
  services/Residents.Api/Residents.Api.csproj services/Consultations.Api/Consultations.Api.csproj \
  services/Notifications.Api/Notifications.Api.csproj tools/ProxyFloor/ProxyFloor.csproj; do
  name=$(basename "$project" .csproj)
  dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$published/$name" --nologo -v quiet -clp:ErrorsOnly
done
export ParticipatieRunPublished="$published"

# Secrets of this run only: the database password (the load tool reads the databases to time receipts and
# invitations) and the platform operator's secret (the load tool registers its own partner).
random_secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
BENCH_POSTGRES_PASSWORD=$(random_secret)
BENCH_OPERATOR_SECRET=$(random_secret)
export BENCH_POSTGRES_PASSWORD BENCH_OPERATOR_SECRET

platform_pid=""
start_platform() {
  started_at_ms=$(date +%s%3N)
  env "Parameters__postgres-password=$BENCH_POSTGRES_PASSWORD" "Parameters__platform-operator-secret=$BENCH_OPERATOR_SECRET" \
    dotnet run --project AppHost/Participatie.AppHost.csproj --no-build -c Release --launch-profile http -- Benchmark=true \
    >"$output/apphost-$1.log" 2>&1 &
  platform_pid=$!
}

# SIGTERM to the AppHost (a background job ignores SIGINT), which stops the services and removes the containers.
stop_platform() {
  [ -n "$platform_pid" ] || return 0
  local apphost
  apphost=$(pgrep -P "$platform_pid" || true)
  kill -TERM ${apphost:-$platform_pid} 2>/dev/null || true
  wait "$platform_pid" 2>/dev/null || true
  platform_pid=""
  for _ in $(seq 1 60); do
    local busy=0
    for port in "${ports[@]}"; do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then busy=1; fi
    done
    [ "$busy" = 0 ] && return 0
    sleep 1
  done
  echo "The platform did not release its ports within a minute." >&2
}
trap stop_platform EXIT

echo "First start (to be stopped again; the second start is the cold start that counts)..."
start_platform first
"$load_tool" --wait-until-healthy --platform-started-at "$started_at_ms"
stop_platform

echo "Second start, then the load..."
start_platform second
"$load_tool" --platform-started-at "$started_at_ms" --repository "$root" --output "$output" \
  --commit "$(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo '+changes')" "$@"
stop_platform

echo "The benchmark took $(( ($(date +%s) - bench_started) / 60 )) min $(( ($(date +%s) - bench_started) % 60 )) s; results in $output/results.md and $output/results.png"
