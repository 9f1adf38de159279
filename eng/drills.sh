#!/usr/bin/env bash
# The fault drills of issue 13 (tests/Participatie.Drills), all of them: the broker stopped, a notifications replica
# killed, PostgreSQL stopped (explicit tests, which ./test.sh skips), the OpenAPI fuzz (also in ./test.sh) and the
# 10-minute soak (explicit too).
# About 25 minutes; the figures and the soak's RSS chart land in artifacts/drills/. Options after the command go to
# the test runner, for example
#   eng/drills.sh --filter-class '*SoakDrill'          # only the soak
#   DRILL_SOAK_MINUTES=3 DRILL_SOAK_RATE=100 eng/drills.sh --filter-class '*SoakDrill'   # a short try-out
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

eng/prepare.sh
set -a
# shellcheck disable=SC1091
. artifacts/container-images.env
set +a

# The soak's chart needs a font; a fresh Debian machine may have none.
if ! { command -v fc-list >/dev/null && [ -n "$(fc-list)" ]; }; then
  echo "Installing a font for the chart..."
  apt-get update -qq && apt-get install -y -qq fonts-dejavu-core fontconfig >/dev/null
fi

dotnet build tests/Participatie.Drills/Participatie.Drills.csproj --nologo -v quiet -clp:ErrorsOnly
mkdir -p artifacts/drills
status=0
dotnet test --project tests/Participatie.Drills/Participatie.Drills.csproj --no-build -- --explicit on "$@" || status=$?
echo
echo "Figures (artifacts/drills/):"
cat artifacts/drills/*.txt 2>/dev/null || true
exit "$status"
