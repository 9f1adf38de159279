#!/usr/bin/env bash
# The linter of the Dutch API Design Rules (Spectral), installed once into artifacts/tools/spectral so that the tests
# can run it without a global install; the functional tests run it on each service's OpenAPI document.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

version="6.16.3"
folder="artifacts/tools/spectral"
binary="$folder/node_modules/.bin/spectral"
if [[ -x "$binary" ]] && [[ "$(cat "$folder/.version" 2>/dev/null)" == "$version" ]]; then
    exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "ensure-spectral: npm is missing; install Node.js (apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$folder"
echo "ensure-spectral: installing @stoplight/spectral-cli@$version into $folder" >&2
npm install --prefix "$folder" --no-audit --no-fund --silent "@stoplight/spectral-cli@$version" >&2
echo "$version" > "$folder/.version"
