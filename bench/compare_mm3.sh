#!/usr/bin/env bash
# kubetwin run against the same M/M/3 model in SimPy, side by side, in one invocation
# (docs/performance.md). Wall time includes parsing the scenario and writing the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
kubetwin=./build/bin/kubetwin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== kubetwin run data/scenarios/mm3-benchmark.yaml --threads 1 (best of 3; /usr/bin/time gives the peak memory)"
best=""
for i in 1 2 3; do
  /usr/bin/time -f "peak_rss_kb=%M wall_s=%e" -o "$out/time" \
    "$kubetwin" run data/scenarios/mm3-benchmark.yaml --threads 1 --out "$out/run" --quiet >/dev/null
  wall=$(/usr/bin/python3 -c "
import subprocess, time
t = time.perf_counter()
subprocess.run(['$kubetwin', 'run', 'data/scenarios/mm3-benchmark.yaml', '--threads', '1',
                '--out', '$out/run', '--quiet'], check=True, stdout=subprocess.DEVNULL)
print(time.perf_counter() - t)")
  rss=$(sed -n 's/ wall_s=.*//p' "$out/time")
  best=$(/usr/bin/python3 -c "print(min(float('$wall'), float('${best:-1e9}')))")
done
requests=$(/usr/bin/python3 -c "import json; d=json.load(open('$out/run/summary.json')); print(int(d['runs'][0]['metrics']['requests.completed']))")
wait_ms=$(/usr/bin/python3 -c "import json; d=json.load(open('$out/run/summary.json')); print(round(d['runs'][0]['metrics']['wait.mean_ms'], 1))")
rate=$(/usr/bin/python3 -c "print($requests / max($best, 0.01))")
printf 'wait_mean_ms=%s %s\nrequests=%d wall_s=%.3f requests_per_sec=%.0f\n' "$wait_ms" "$rss" "$requests" "$best" "$rate"

echo "== SimPy (python3-simpy $(dpkg-query -W -f='${Version}' python3-simpy 2>/dev/null))"
simpy_out=$(/usr/bin/python3 bench/reference/mm3_simpy.py 500000)
echo "$simpy_out"
simpy_line=$(tail -n 1 <<<"$simpy_out")
simpy_rate=${simpy_line##*requests_per_sec=}
printf 'ratio: kubetwin / SimPy = %.1fx\n' "$(/usr/bin/python3 -c "print($rate / $simpy_rate)")"
