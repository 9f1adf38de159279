#!/usr/bin/env bash
# Runs the whole test suite: unit tests, each service's functional tests against real PostgreSQL and RabbitMQ
# containers, and the end-to-end test that starts the AppHost and drives the flow through the gateway.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

eng/prepare.sh
# The browser tests drive Debian's chromium; installed here once.
eng/ensure-chromium.sh
# The Kubernetes manifests' test renders deploy/k8s with Debian's kubectl and validates it with npm packages.
eng/ensure-k8s-tools.sh
# The OpenAPI tests lint each service's document with the API Design Rules ruleset (Spectral, from npm); installed once.
eng/ensure-spectral.sh
set -a
# shellcheck disable=SC1091
. artifacts/container-images.env
set +a

dotnet build Participatie.sln --nologo -v quiet -clp:ErrorsOnly

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test --solution Participatie.sln --no-build 2>&1 | tee "$log" || status=$?

# CI keeps only the end of the output: name each failed test there again, with the start of its message.
if [ "$status" -ne 0 ]; then
  echo "Failed tests:"
  grep -E -A 12 '^\s*failed [^ ]' "$log" | grep -v -E '^\s+at ' | cut -c1-400 || true
fi

# One plain closing line with the totals over every test project.
awk '/^  succeeded:/ { passed += $2 } /^  failed:/ { failed += $2 } END { printf "%d passed, %d failed\n", passed, failed }' "$log"
exit "$status"
