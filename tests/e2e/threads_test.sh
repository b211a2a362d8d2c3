#!/usr/bin/env bash
# Same scenario + same seed => byte-identical summary.json and timeseries.csv, whatever
# --threads is: for every bundled scenario, its first policy alone with one replication (the
# run's own partitions then get the threads) and every policy and replication of the small
# ones (the runs are spread over the threads), on 1, 2 and 4 threads.
set -u
kubetwin="$1"
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passes=0
failures=0

compare() {  # compare NAME ARGS...: runs on 1, 2 and 4 threads and compares the outputs
  local name="$1"; shift
  local t rc
  for t in 1 2 4; do
    "$kubetwin" run "$@" --threads "$t" --out "$tmp/$name-$t" --quiet >/dev/null 2>"$tmp/err"
    rc=$?
    if [ "$rc" -gt 1 ]; then
      echo "FAIL $name: exit $rc on $t threads: $(head -3 "$tmp/err")"; failures=$((failures + 1)); return
    fi
  done
  for t in 2 4; do
    for f in summary.json timeseries.csv; do
      if ! cmp -s "$tmp/$name-1/$f" "$tmp/$name-$t/$f"; then
        echo "FAIL $name: $f differs between 1 and $t threads"; failures=$((failures + 1)); return
      fi
    done
  done
  # Identical and not empty: every run completed requests and measured their latency.
  if ! /usr/bin/python3 -c "
import json, sys
d = json.load(open('$tmp/$name-1/summary.json'))
bad = [r['policy'] for r in d['runs']
       if not r['metrics'].get('requests.completed', 0) > 0 or 'latency.p99_ms' not in r['metrics']]
sys.exit(1 if bad or not d['runs'] else 0)"; then
    echo "FAIL $name: a run completed no request or measured no latency"; failures=$((failures + 1)); return
  fi
  echo "ok   $name: byte-identical on 1, 2 and 4 threads, every run measured"; passes=$((passes + 1))
}

for scenario in data/scenarios/*.yaml; do
  base=$(basename "$scenario" .yaml)
  policy=$(awk '/^  policies:/{p=1} p && /- name:/{sub(/.*- name: */,""); sub(/ *#.*/,""); print; exit}' "$scenario")
  if [ -n "$policy" ]; then
    compare "$base-single-run" "$scenario" --policy "$policy" --replications 1
  else
    compare "$base-single-run" "$scenario" --replications 1
  fi
done
compare quickstart-all data/scenarios/quickstart.yaml
compare mm3-all data/scenarios/mm3-benchmark.yaml --replications 3

echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
