#!/usr/bin/env bash
# The keep-alive model on a population of 1,000 functions with Zipf-distributed rates (2
# million invocations in 24 h; bench/reference/make_zipf_trace.py), replayed by
# `kubetwin run --threads 1` (OpenFaaS functions on the on-demand platform, keepAlive
# fixed:10m) and by the same model in SimPy 2 (bench/reference/keepalive_simpy.py), side by
# side in one invocation (docs/performance.md). kubetwin's wall time includes reading the
# trace, the scenario and writing the outputs; peak memory from /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
kubetwin=${KUBETWIN:-./build/bin/kubetwin}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/reference/make_zipf_trace.py "$work/trace" 1000 2000000 1.0 7
cp data/scenarios/manifests/azure-function.yaml "$work/fn.yaml"
cat > "$work/zipf.yaml" <<YAML
apiVersion: kubetwin.io/v1alpha1
kind: Scenario
metadata: {name: keepalive-zipf}
spec:
  duration: 24h
  replications: 1
  seed: 1
  manifests: [fn.yaml]
  infrastructure:
    coldStart: {default: {distribution: lognormal, mean: 1.2s, cv: 0.5}}
  workloads:
    - name: zipf
      target: Function/azure-fn
      arrival:
        process: azureFunctions
        invocations: trace/invocations_per_function_md.anon.d01.csv
        durations: trace/function_durations_percentiles.anon.d01.csv
        function: "*"
  policies:
    - {name: fixed-10m, keepAlive: "fixed:10m"}
YAML
echo "== kubetwin run (1,000 functions, 24 h, --threads 1; best of 3)"
best=""
for i in 1 2 3; do
  /usr/bin/time -f "peak_rss_kb=%M" -o "$work/time" \
    "$kubetwin" run "$work/zipf.yaml" --threads 1 --out "$work/run" --quiet >/dev/null
  wall=$(/usr/bin/python3 -c "
import subprocess, time
t = time.perf_counter()
subprocess.run(['$kubetwin', 'run', '$work/zipf.yaml', '--threads', '1', '--out', '$work/run',
                '--quiet'], check=True, stdout=subprocess.DEVNULL)
print(time.perf_counter() - t)")
  best=$(/usr/bin/python3 -c "print(min(float('$wall'), float('${best:-1e9}')))")
done
read -r n cold <<<"$(/usr/bin/python3 -c "
import json; m = json.load(open('$work/run/summary.json'))['runs'][0]['metrics']
print(int(m['requests.total']), int(m['coldstarts.count']))")"
rate=$(/usr/bin/python3 -c "print($n / $best)")
printf 'invocations=%d cold=%d %s wall_s=%.3f invocations_per_sec=%.0f\n' "$n" "$cold" \
  "$(cat "$work/time")" "$best" "$rate"
echo "== SimPy (python3-simpy $(dpkg-query -W -f='${Version}' python3-simpy 2>/dev/null)), same trace"
simpy=$(/usr/bin/time -f "peak_rss_kb=%M" /usr/bin/python3 bench/reference/keepalive_simpy.py "$work/trace" 600 2>"$work/simpy_time")
echo "$simpy $(tail -n 1 "$work/simpy_time")"
simpy_rate=${simpy##*invocations_per_sec=}
printf 'ratio: kubetwin / SimPy = %.1fx\n' "$(/usr/bin/python3 -c "print($rate / $simpy_rate)")"
