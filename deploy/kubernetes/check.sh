#!/usr/bin/env bash
# Renders MeshPortal's kustomizations with kubectl's built-in kustomize and validates every object without a cluster
# (validate/validate.mjs: the Kubernetes 1.36.0 API schema, the Prometheus Operator's for the ServiceMonitor, and the
# checks of validate/rules.mjs). One line per object; exits non-zero when a kustomization does not render or any object
# is invalid.
#
#   deploy/kubernetes/check.sh                   every overlay, monitoring/, examples/ (what CI runs)
#   deploy/kubernetes/check.sh DIR|FILE.yaml...  only these (a directory is rendered with kustomize, a file read as is)
#
# Installs what it lacks: kubectl (Debian's kubernetes-client) and Node.js/npm with apt, the validator's pinned
# packages with `npm ci` (validate/package-lock.json).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

apt_install() {
  echo "installing with apt: $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v kubectl >/dev/null || apt_install kubernetes-client
# The overlays use kustomize v5 syntax (resources that are directories, patches with targets). kubectl has embedded
# kustomize v5 since 1.27; Debian 12's kubernetes-client is 1.20 (kustomize v2.0.3) and cannot render them.
kustomize_version=$(kubectl version --client 2>/dev/null | sed -n 's/^Kustomize Version: v\{0,1\}//p')
kustomize_major=${kustomize_version%%.*}
if ! [[ "$kustomize_major" =~ ^[0-9]+$ ]] || [ "$kustomize_major" -lt 5 ]; then
  echo "FAIL  $(command -v kubectl) embeds kustomize ${kustomize_version:-of unknown version}; rendering these overlays needs v5 or newer" >&2
  echo "      (kubectl 1.27 or newer: the Kubernetes project's kubectl packages, or the Google Cloud CLI's kubectl)." >&2
  exit 1
fi
command -v node >/dev/null || apt_install nodejs
command -v npm >/dev/null || apt_install npm

# The pinned validator: reinstalled only when package-lock.json is newer than what npm last installed.
if [ ! -f "$here/validate/node_modules/.package-lock.json" ] \
  || [ "$here/validate/package-lock.json" -nt "$here/validate/node_modules/.package-lock.json" ]; then
  (cd "$here/validate" && npm ci --no-audit --no-fund --loglevel=error)
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for dir in "$here"/overlays/*/ "$here"/monitoring/ "$here"/examples/*/; do
    [ -f "$dir/kustomization.yaml" ] && targets+=("${dir%/}")
  done
  targets+=("$here"/examples/*.yaml)
fi

echo "kubectl $(kubectl version --client 2>/dev/null | sed -n 's/^Client Version: //p'), kustomize v$kustomize_version, node $(node --version)"
failed=0
rendered=$(mktemp)
trap 'rm -f "$rendered"' EXIT
for target in "${targets[@]}"; do
  echo "-- ${target#"$PWD"/}"
  if [ -d "$target" ]; then
    if ! kubectl kustomize "$target" >"$rendered"; then
      echo "FAIL  kustomize could not render ${target#"$PWD"/}"
      failed=$((failed + 1))
      continue
    fi
    input=$rendered
  else
    input=$target
  fi
  node "$here/validate/validate.mjs" "$input" || failed=$((failed + 1))
done

if [ "$failed" -gt 0 ]; then
  echo "kubernetes manifests: $failed of ${#targets[@]} inputs invalid"
  exit 1
fi
echo "kubernetes manifests: all ${#targets[@]} inputs valid"
