#!/usr/bin/env bash
# The parallel executor's speedup on PHOLD (1,024 LPs x 16 events), one run per cell: events/s
# on THREADS threads over events/s on one thread (the sequential executor), for every
# lookahead and remote probability of docs/performance.md. Prints a Markdown table.
# usage: bench/parallel_phold.sh [BUILD_DIR] [THREADS...]   (default: build 2)
set -euo pipefail
bin="${1:-build}/bin"
shift || true
threads=("${@:-2}")
[ ${#threads[@]} -gt 0 ] || threads=(2)
rate() { "$bin/kubetwin" bench phold --lps 1024 --events-per-lp 16 "$@" |
  awk -F'events_per_sec=' '/events_per_sec=/{v=$2} END{print v}'; }
header="| lookahead | P | 1 thread (M events/s)"
rule="|---:|---:|---:"
for t in "${threads[@]}"; do header+=" | $t threads (M/s) | speedup"; rule+="|---:|---:"; done
echo "$header |"
echo "$rule|"
for la in 0.1 0.5 1 5; do
  # About 40 M events per cell whatever the lookahead (events per time unit fall as it grows).
  end=$(awk -v l="$la" 'BEGIN{printf "%d", 2500 * (1 + 0.5 * l)}')
  for p in 0.1 0.5 0.9; do
    one=$(rate --remote "$p" --lookahead "$la" --end "$end" --threads 1)
    line="| $la | $p | $(awk -v a="$one" 'BEGIN{printf "%.1f", a / 1e6}')"
    for t in "${threads[@]}"; do
      many=$(rate --remote "$p" --lookahead "$la" --end "$end" --threads "$t")
      line+=$(awk -v a="$one" -v b="$many" 'BEGIN{printf " | %.1f | %.2f×", b / 1e6, b / a}')
    done
    echo "$line |"
  done
done
