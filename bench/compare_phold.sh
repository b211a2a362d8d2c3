#!/usr/bin/env bash
# Runs `kubetwin bench phold` and the plain reference side by side, same parameters, and prints
# the events/s ratio for the two PHOLD configurations of docs/performance.md.
# usage: bench/compare_phold.sh [BUILD_DIR]   (default: build)
set -euo pipefail
bin="${1:-build}/bin"
rate() { awk -F'events_per_sec=' '/events_per_sec=/{v=$2} END{print v}'; }
compare() {
  local ours ref
  ours=$("$bin/kubetwin" bench phold "$@")
  ref=$("$bin/phold-reference" "$@")
  echo "$ours"
  echo "$ref"
  awk -v a="$(rate <<<"$ours")" -v b="$(rate <<<"$ref")" \
    'BEGIN{printf "ratio kubetwin/reference = %.2f\n\n", a / b}'
}
compare --lps 1024 --events-per-lp 16 --remote 0.5 --end 1000
compare --lps 65536 --events-per-lp 16 --remote 0.5 --end 50
