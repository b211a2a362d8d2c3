#!/usr/bin/env bash
# The parallel executor's speedup on PHOLD (1,024 LPs x 16 events), one run per cell: events/s
# on THREADS threads over events/s on one thread (the sequential executor), for every
# lookahead and remote probability of docs/performance.md. Prints a Markdown table.
# usage: bench/parallel_phold.sh [BUILD_DIR] [THREADS...]   (default: build 2)
#
# The sequential run is pinned to core 0 and then to core 1, and the faster of the two is the
# baseline: on a VM whose vCPUs run at different speeds, an unpinned run lands on either and
# the ratio would say more about the host's neighbours than about the engine. The last column
# is the speedup over the slower core, the rate the windows of a parallel run wait for.
set -euo pipefail
bin="${1:-build}/bin"
shift || true
threads=("${@:-2}")
[ ${#threads[@]} -gt 0 ] || threads=(2)
# PHOLD's events per second; CORE pins it there (when taskset and the core exist), - does not.
phold() {  # CORE, then `kubetwin bench phold` arguments
  local core=$1 pin=()
  shift
  if [ "$core" != - ] && command -v taskset >/dev/null && [ "$core" -lt "$(nproc)" ]; then
    pin=(taskset -c "$core")
  fi
  "${pin[@]}" "$bin/kubetwin" bench phold --lps 1024 --events-per-lp 16 "$@" |
    awk -F'events_per_sec=' '/events_per_sec=/{v=$2} END{print v}'
}
rate() { phold - "$@"; }
pinned() { phold "$@"; }  # core, then rate's arguments
header="| lookahead | P | 1 thread, faster core (M events/s) | slower core"
rule="|---:|---:|---:|---:"
for t in "${threads[@]}"; do
  header+=" | $t threads (M/s) | speedup | over the slower core"
  rule+="|---:|---:|---:"
done
echo "$header |"
echo "$rule|"
for la in 0.1 0.5 1 5; do
  # About 40 M events per cell whatever the lookahead (events per time unit fall as it grows).
  end=$(awk -v l="$la" 'BEGIN{printf "%d", 2500 * (1 + 0.5 * l)}')
  for p in 0.1 0.5 0.9; do
    a=$(pinned 0 --remote "$p" --lookahead "$la" --end "$end" --threads 1)
    b=$(pinned 1 --remote "$p" --lookahead "$la" --end "$end" --threads 1)
    fast=$(awk -v a="$a" -v b="$b" 'BEGIN{print (a > b ? a : b)}')
    slow=$(awk -v a="$a" -v b="$b" 'BEGIN{print (a > b ? b : a)}')
    line="| $la | $p | $(awk -v a="$fast" -v b="$slow" 'BEGIN{printf "%.1f | %.1f", a / 1e6, b / 1e6}')"
    for t in "${threads[@]}"; do
      many=$(rate --remote "$p" --lookahead "$la" --end "$end" --threads "$t")
      line+=$(awk -v a="$fast" -v s="$slow" -v b="$many" \
        'BEGIN{printf " | %.1f | %.2f× | %.2f×", b / 1e6, b / a, b / s}')
    done
    echo "$line |"
  done
done
# What each core does alone while all of them are busy: one sequential PHOLD pinned to every
# core at once, on the target cell (P = 0.5, lookahead 1). Windows wait for the slowest
# partition, so T threads can at best reach T x the slowest core's rate; on a VM whose vCPUs
# run at different speeds (a busy neighbour on one of them), that, not the engine, bounds the
# speedup over a sequential run that happened to get a fast core.
if command -v taskset >/dev/null; then
  for t in "${threads[@]}"; do
    [ "$t" -le "$(nproc)" ] || continue
    tmp=$(mktemp -d)
    for ((c = 0; c < t; ++c)); do
      pinned "$c" --remote 0.5 --lookahead 1 --end 3750 --threads 1 >"$tmp/$c" &
    done
    wait
    rates=$(cat "$tmp"/*)
    par=$(rate --remote 0.5 --lookahead 1 --end 3750 --threads "$t")
    echo
    echo "$t cores busy at once, one sequential PHOLD each (M events/s):" \
      $(echo "$rates" | awk '{printf "%.1f ", $1 / 1e6}')
    echo "$t threads: $(awk -v b="$par" 'BEGIN{printf "%.1f", b / 1e6}') M events/s," \
      "$(echo "$rates" | sort -g | head -1 | awk -v b="$par" -v t="$t" \
        '{printf "%.0f %% of %d x the slowest core", 100 * b / (t * $1), t}')"
    rm -rf "$tmp"
  done
fi
