#!/usr/bin/env bash
# The browser for the browser tests: Debian's chromium package. Playwright for .NET cannot download a browser on a
# machine without internet, so the tests point it at this executable (PARTICIPATIE_CHROMIUM overrides the path).
set -euo pipefail

chromium="${PARTICIPATIE_CHROMIUM:-/usr/bin/chromium}"
if [[ -x "$chromium" ]]; then
    exit 0
fi
command -v apt-get >/dev/null 2>&1 || { echo "ensure-chromium: $chromium is missing and apt-get is not available; install chromium and set PARTICIPATIE_CHROMIUM" >&2; exit 1; }
SUDO=()
[[ $(id -u) -eq 0 ]] || SUDO=(sudo)
echo "ensure-chromium: installing Debian's chromium for the browser tests" >&2
if ! { "${SUDO[@]}" apt-get update -qq \
        && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } \
        >/tmp/ensure-chromium-apt.log 2>&1; then
    tail -n 20 /tmp/ensure-chromium-apt.log >&2
    echo "ensure-chromium: apt-get install chromium failed (see /tmp/ensure-chromium-apt.log)" >&2
    exit 1
fi
