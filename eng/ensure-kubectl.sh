#!/usr/bin/env bash
# The Kubernetes manifests' test (tests/Deployment.Tests) renders deploy/k8s with Debian's kubectl (its built-in
# kustomize). The package is unpacked into artifacts/tools/kubernetes-client rather than installed, so that it never
# replaces a kubectl the machine already has (which the test also renders with). Quick once it is there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target=artifacts/tools/kubernetes-client
kubectl="$target/usr/bin/kubectl"
if [ -x "$kubectl" ]; then
  exit 0
fi

download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
# apt-get download needs the package lists; on a fresh machine they are not there yet.
if ! (cd "$download" && apt-get download kubernetes-client >/dev/null 2>&1); then
  SUDO=()
  [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq >/dev/null
  (cd "$download" && apt-get download kubernetes-client >/dev/null)
fi

rm -rf "$target"
mkdir -p "$target"
dpkg-deb -x "$download"/kubernetes-client_*.deb "$target"
"$kubectl" version --client >/dev/null
echo "Debian's kubectl unpacked into $target."
