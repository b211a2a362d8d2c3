#!/usr/bin/env bash
# Examples are tests (DESIGN.md guideline 7): every scenario in data/scenarios validates and
# runs to a verdict (exit 0 or 1; never 2 or 3).
# usage: examples_test.sh PATH/TO/kubetwin
set -u
kubetwin="$1"
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
for scenario in data/scenarios/*.yaml; do
  name=$(basename "$scenario" .yaml)
  if ! "$kubetwin" validate "$scenario" >/dev/null 2>"$tmp/err"; then
    echo "FAIL validate $scenario"; cat "$tmp/err"; failures=$((failures + 1)); continue
  fi
  "$kubetwin" run "$scenario" --out "$tmp/$name" --quiet >/dev/null 2>"$tmp/err"
  rc=$?
  if [ "$rc" -gt 1 ] || [ ! -f "$tmp/$name/summary.json" ]; then
    echo "FAIL run $scenario: exit $rc"; cat "$tmp/err"; failures=$((failures + 1))
  else
    echo "ok   $scenario (exit $rc)"
  fi
done
[ "$failures" = 0 ]
