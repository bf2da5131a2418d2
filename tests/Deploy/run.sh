#!/usr/bin/env bash
# Tests of the Kubernetes manifest check (deploy/kubernetes/check.sh): each fixture in fixtures/ (a YAML file, or a
# kustomization directory rendered first) goes through the same command CI runs on the real overlays. Fixtures named
# valid-* must pass; every other one must fail. Each "# expect: TEXT" line of a fixture (its kustomization.yaml for a
# directory) must appear in the check's output, so a failure for the wrong reason fails the test.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
check="$here/../../deploy/kubernetes/check.sh"

ok=0
bad=0
for fixture in "$here"/fixtures/*; do
  name=$(basename "$fixture")
  spec=$fixture
  [ -d "$fixture" ] && spec="$fixture/kustomization.yaml"
  output=$(bash "$check" "$fixture" 2>&1)
  status=$?
  problems=()
  case "$name" in
    valid-*) [ "$status" -eq 0 ] || problems+=("the check failed (exit $status) on a valid fixture") ;;
    *) [ "$status" -ne 0 ] || problems+=("the check passed a broken fixture") ;;
  esac
  expected=0
  while IFS= read -r text; do
    expected=$((expected + 1))
    grep -qF -- "$text" <<<"$output" || problems+=("missing from the output: $text")
  done < <(sed -n 's/^# expect: //p' "$spec")
  [ "$expected" -gt 0 ] || problems+=("the fixture has no '# expect:' line")

  if [ ${#problems[@]} -eq 0 ]; then
    ok=$((ok + 1))
    echo "ok    $name (exit $status, $expected expected lines found)"
  else
    bad=$((bad + 1))
    echo "FAIL  $name"
    printf '        %s\n' "${problems[@]}"
    echo "      output of the check:"
    sed 's/^/        | /' <<<"$output"
  fi
done

echo "deploy fixtures: $ok as expected, $bad not"
[ "$bad" -eq 0 ]
