#!/usr/bin/env bash
# The progress bar: on stderr when it is a terminal (faked with script(1) from bsdutils),
# never with --quiet or when stderr is a file. Without script(1) the check cannot run: it
# says SKIPPED and exits 77, which ctest counts as skipped (SKIP_RETURN_CODE), not passed.
# usage: progress_bar_test.sh PATH/TO/kubetwin
set -u
kubetwin="$1"
cd "$(dirname "$0")/../.." || exit 2
if ! command -v script >/dev/null; then
  echo "SKIPPED: no script(1) to give kubetwin a terminal (Debian package bsdutils)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
script -qc "'$kubetwin' run data/scenarios/quickstart.yaml --out '$tmp/tty'" /dev/null > "$tmp/tty.out" 2>&1
script -qc "'$kubetwin' run data/scenarios/quickstart.yaml --out '$tmp/tty' --quiet" /dev/null > "$tmp/ttyq.out" 2>&1
"$kubetwin" run data/scenarios/quickstart.yaml --out "$tmp/tty" 2> "$tmp/notty.err" >/dev/null
if grep -aq 'ETA' "$tmp/tty.out" && ! grep -aq 'ETA' "$tmp/ttyq.out" && ! grep -q 'ETA' "$tmp/notty.err"; then
  echo "ok   progress bar only on a terminal and not with --quiet"
else
  echo "FAIL progress bar"; exit 1
fi
