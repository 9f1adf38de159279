#!/usr/bin/env bash
# What the Kubernetes manifests' test (tests/Deployment.Tests) renders and validates deploy/k8s with, in
# artifacts/tools: Debian's kubectl (its built-in kustomize), unpacked rather than installed so that it never replaces
# a kubectl the machine already has (which the test also renders with); and the schema validator eng/k8s-schema with
# its npm packages. Quick once both are there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

kubernetes_client=artifacts/tools/kubernetes-client
if [ ! -x "$kubernetes_client/usr/bin/kubectl" ]; then
  download="$(mktemp -d)"
  trap 'rm -rf "$download"' EXIT
  # apt-get download needs the package lists; on a fresh machine they are not there yet.
  if ! (cd "$download" && apt-get download kubernetes-client >/dev/null 2>&1); then
    SUDO=()
    [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
    "${SUDO[@]}" apt-get update -qq >/dev/null
    (cd "$download" && apt-get download kubernetes-client >/dev/null)
  fi
  rm -rf "$kubernetes_client"
  mkdir -p "$kubernetes_client"
  dpkg-deb -x "$download"/kubernetes-client_*.deb "$kubernetes_client"
  "$kubernetes_client/usr/bin/kubectl" version --client >/dev/null
  echo "ensure-k8s-tools: Debian's kubectl unpacked into $kubernetes_client" >&2
fi

schema=artifacts/tools/k8s-schema
mkdir -p "$schema"
cp eng/k8s-schema/validate.mjs "$schema/"
# npm ci again only when the pinned packages changed.
if ! cmp -s eng/k8s-schema/package-lock.json "$schema/package-lock.json" || [ ! -d "$schema/node_modules" ]; then
  command -v npm >/dev/null 2>&1 || { echo "ensure-k8s-tools: npm is missing (Node.js 20 or later)" >&2; exit 1; }
  cp eng/k8s-schema/package.json eng/k8s-schema/package-lock.json "$schema/"
  # kubernetes-models asks for Node.js 22 but runs on the machine's 20 (its engines warning is expected).
  (cd "$schema" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "ensure-k8s-tools: schema validator installed into $schema" >&2
fi
