#!/usr/bin/env bash
# The kubetwin CLI as a user runs it: output format and exit codes (SPEC.md).
# usage: cli_test.sh PATH/TO/kubetwin
set -u
kubetwin="$1"
failures=0
passes=0

check() {  # check NAME EXPECTED_EXIT REGEX_ON_OUTPUT -- ARGS...
  local name="$1" want="$2" regex="$3"
  shift 4
  local out rc
  out=$("$kubetwin" "$@" 2>&1)
  rc=$?
  if [ "$rc" != "$want" ]; then
    echo "FAIL $name: exit $rc, expected $want"; echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  elif ! grep -Eq -- "$regex" <<<"$out"; then
    echo "FAIL $name: output does not match /$regex/"; echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok   $name"; passes=$((passes + 1))
  fi
}

# The PHOLD line format is a contract: scripts parse it from the last line.
out=$("$kubetwin" bench phold --lps 64 --events-per-lp 4 --end 20 --remote 0.3 --seed 5)
last=$(tail -n 1 <<<"$out")
if [[ "$last" =~ ^events=[0-9]+\ wall_s=[0-9]+\.[0-9]+\ events_per_sec=[0-9]+$ ]]; then
  echo "ok   phold last line: $last"; passes=$((passes + 1))
else
  echo "FAIL phold last line: '$last'"; failures=$((failures + 1))
fi
again=$("$kubetwin" bench phold --lps 64 --events-per-lp 4 --end 20 --remote 0.3 --seed 5 | tail -n 1)
if [ "${last%% *}" = "${again%% *}" ]; then
  echo "ok   phold event count repeats for a seed"; passes=$((passes + 1))
else
  echo "FAIL phold event count differs: ${last%% *} vs ${again%% *}"; failures=$((failures + 1))
fi

check "phold --key=value form"     0 '^events=[0-9]+ '           -- bench phold --lps=8 --end=5
check "phold lookahead accepted"   0 'lookahead=0.5'             -- bench phold --lps 8 --end 5 --lookahead 0.5
check "help"                       0 'usage: kubetwin'           -- help
check "version"                    0 '^kubetwin [0-9]+\.[0-9]+'  -- --version
check "bench phold --help"         0 'usage: kubetwin bench phold' -- bench phold --help
check "no command"                 2 'error: no command given'   --
check "unknown command"            2 "error: unknown command 'frobnicate'" -- frobnicate
check "unknown benchmark"          2 "error: unknown benchmark 'nope'" -- bench nope
check "unknown option"             2 'error: unknown option --bogus' -- bench phold --bogus 1
check "missing value"              2 'error: --lps needs a value' -- bench phold --lps
check "not a number"               2 "error: --lps expects a whole number, got 'many'" -- bench phold --lps many
check "negative count"             2 "error: --lps expects a whole number, got '-4'" -- bench phold --lps -4
check "probability out of range"   2 'error: --remote must be between' -- bench phold --remote 1.5
check "zero LPs"                   2 'error: --lps must be between 1 and' -- bench phold --lps 0
check "absurd event count"         2 'must not exceed 1e9 pending events' -- bench phold --lps 16000000 --events-per-lp 1000
check "duplicate option"           2 'error: --end given twice'  -- bench phold --end 1 --end 2
check "bench schedule"             0 '^pods=2000 wall_s=[0-9.]+ placements_per_sec=[0-9]+$' -- bench schedule --nodes 300 --pods 2000
check "bench schedule --help"      0 'usage: kubetwin bench schedule' -- bench schedule --help
check "bench schedule bad scoring" 2 'scoring must be' -- bench schedule --scoring random
check "phold on two partitions"    0 'partitions=2'              -- bench phold --lps 64 --end 20 --lookahead 0.5 --threads 2
check "phold without lookahead"    0 'partitions=1'              -- bench phold --lps 64 --end 20 --threads 2
# The same events whatever the thread count.
counts=$(for t in 1 2 4; do "$kubetwin" bench phold --lps 256 --end 50 --lookahead 0.5 --threads "$t" |
  tail -1 | sed 's/ wall_s.*//'; done | sort -u | wc -l)
if [ "$counts" = 1 ]; then echo "ok   phold event count equal on 1, 2 and 4 threads"; passes=$((passes + 1))
else echo "FAIL phold event counts differ between thread counts"; failures=$((failures + 1)); fi

# validate and run, through the real binary, from the repository root.
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check "validate the seed"          0 '19 objects, 0 errors'      -- validate data/manifests/seed
lines=$("$kubetwin" validate data/manifests/seed 2>/dev/null | grep -cE '^[A-Za-z]+/[^ :]+ -> ')
if [ "$lines" = 19 ]; then echo "ok   validate lists 19 objects"; passes=$((passes + 1));
else echo "FAIL validate listed $lines objects, not 19"; failures=$((failures + 1)); fi
check "secret not simulated"       0 '^Secret/quantum-safe-secret -> not simulated: ' -- validate data/manifests/seed
check "fields not simulated"       0 '^VirtualService/quantum-enhanced-service: retries \(3 attempts\) -> not simulated: ' -- validate data/manifests/seed
# Every part of the seed what-if is simulated now (edge uplinks, QPUs, the quantum Job and
# workflow, the VirtualService's retries through quantum-service): its list is empty.
"$kubetwin" run data/scenarios/seed-what-if.yaml --replications 1 --policy warm-pool --out "$tmp/knobs" >/dev/null 2>&1
if /usr/bin/python3 -c "
import json, sys
d = json.load(open('$tmp/knobs/summary.json'))
sys.exit(1 if d['not_simulated'] else 0)"; then echo "ok   the seed what-if leaves nothing unsimulated"; passes=$((passes + 1));
else echo "FAIL the seed what-if lists parts not simulated"; failures=$((failures + 1)); fi
cat > "$tmp/unsim.yaml" <<EOF
apiVersion: kubetwin.io/v1alpha1
kind: Scenario
metadata: {name: unsim}
spec:
  duration: 1h
  manifests: [$PWD/data/manifests/seed/16-secret.yaml]
  workloads:
    - {name: wf, target: Secret/quantum-safe-secret, arrival: {process: constant, interval: 10m}, service: {distribution: deterministic, value: 1s}}
  slo:
    - {metric: workloads.wf.latency.p99_ms, max: 500}
EOF
check "parts not simulated"        1 'workload wf -> not simulated: its target Secret/quantum-safe-secret takes no requests' -- run "$tmp/unsim.yaml" --out "$tmp/unsim-out"
if /usr/bin/python3 -c "
import json, sys
d = json.load(open('$tmp/unsim-out/summary.json'))
sys.exit(0 if any(l.startswith('workload wf -> not simulated') for l in d['not_simulated']) else 1)"; then echo "ok   summary.json lists what is read but not simulated"; passes=$((passes + 1));
else echo "FAIL summary.json not_simulated"; failures=$((failures + 1)); fi
check "SLO on an unsimulated target warns" 1 'unsim.yaml:[0-9]+:[0-9]+: warning: SLO workloads.wf.latency.p99_ms: workload wf.s target is not simulated' -- run "$tmp/unsim.yaml" --out "$tmp/slowarn"
check "validate a scenario"        0 '^Scenario/quickstart -> kubetwin scenario' -- validate data/scenarios/quickstart.yaml
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: many}\n' > "$tmp/bad.yaml"
check "validate bad input"         2 "bad.yaml:4:[0-9]+: error: " -- validate "$tmp/bad.yaml"
printf 'apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g}\n' > "$tmp/gizmo.yaml"
check "unknown kind warns"         0 'gizmo.yaml:2:7: warning: unknown kind Gizmo' -- validate "$tmp/gizmo.yaml"
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb}\n' > "$tmp/core-kinds.yaml"
check "core kinds are known"       0 '^ClusterRoleBinding/crb -> not simulated: access control' -- validate "$tmp/core-kinds.yaml"
if "$kubetwin" validate "$tmp/core-kinds.yaml" 2>&1 | grep -q 'unknown kind'; then
  echo "FAIL a core kind is unknown"; failures=$((failures + 1)); else echo "ok   no core kind is unknown"; passes=$((passes + 1)); fi
printf 'apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata: {name: vs}\nspec:\n  hosts: [web]\n  http:\n    - route:\n        - destination: {host: nowhere}\n        - destination: {host: nowhere}\n' > "$tmp/vs.yaml"
check "host warning at the host" 0 'vs.yaml:8:31: warning: VirtualService/vs routes to host .nowhere.' -- validate "$tmp/vs.yaml"
if [ "$("$kubetwin" validate "$tmp/vs.yaml" 2>&1 | grep -c 'routes to host')" = 1 ]; then echo "ok   host warning said once"; passes=$((passes + 1));
else echo "FAIL host warning repeated"; failures=$((failures + 1)); fi
check "validate missing file"      2 'error: no such file or directory' -- validate "$tmp/nope.yaml"
check "validate without a path"    2 'validate needs at least one PATH' -- validate

check "run: an SLO fails"          1 'FAIL'                      -- run data/scenarios/quickstart.yaml --out "$tmp/qs" --quiet
check "run: SLOs hold"             0 'pass'                      -- run data/scenarios/quickstart.yaml --policy eight-replicas --out "$tmp/qs4" --quiet
check "run: unknown policy"        2 'no such policy'            -- run data/scenarios/quickstart.yaml --policy nope --out "$tmp/np"
check "run: invalid scenario"      2 'bad.yaml:1:1: error: expected a scenario' -- run "$tmp/bad.yaml" --out "$tmp/bad-out"
if [ ! -e "$tmp/bad-out" ] && [ ! -e "$tmp/np" ]; then echo "ok   no output folder on invalid input"; passes=$((passes + 1));
else echo "FAIL invalid input left an output folder"; failures=$((failures + 1)); fi
if [ -f "$tmp/qs/summary.json" ] && [ -f "$tmp/qs/timeseries.csv" ] && ! ls -a "$tmp" | grep -q '\.tmp-'; then
  echo "ok   run writes summary.json and timeseries.csv, no temporary left"; passes=$((passes + 1))
else echo "FAIL run output folder incomplete"; ls -la "$tmp" "$tmp/qs"; failures=$((failures + 1)); fi
if /usr/bin/python3 - "$tmp/qs/junit.xml" "$tmp/qs/summary.json" <<'PY'
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
slo = json.load(open(sys.argv[2]))["slo"]
cases = root.findall("./testsuite/testcase")
failed = [c for c in cases if c.find("failure") is not None]
assert root.tag == "testsuites" and len(cases) == 6 and len(failed) == 2, (len(cases), len(failed))
assert all("three-replicas" in c.get("classname") for c in failed)
# Each failure names the metric, the policy, the value summary.json reports and the bound.
for c in failed:
    msg = c.find("failure").get("message")
    entry = [e for e in slo if e["policy"] == "three-replicas" and e["metric"] in msg][0]
    want = f'{entry["metric"]} = {entry["value"]!r} for policy three-replicas, bound <= {entry["max"]:g}'
    assert msg == want, (msg, want)
PY
then echo "ok   junit.xml: one case per SLO x policy, failures carry value and bound"; passes=$((passes + 1));
else echo "FAIL junit.xml"; failures=$((failures + 1)); fi
if /usr/bin/python3 - "$tmp/qs/report.html" <<'PY'
import sys, html.parser
text = open(sys.argv[1]).read()
class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.svgs = 0; self.lines = 0
    def handle_starttag(self, tag, attrs):
        if tag == "svg": self.svgs += 1
        if tag == "polyline": self.lines += 1
c = Checker(); c.feed(text)
# quickstart's time series has 7 columns after time_s: 7 charts, one line per policy (3).
assert c.svgs == 7 and c.lines == 21, (c.svgs, c.lines)
assert "simulated time (min)" in text and "shoppers.replicas (pods)" in text
assert "<script" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
PY
then echo "ok   report.html: self-contained, charts with axes, one line per policy"; passes=$((passes + 1));
else echo "FAIL report.html"; failures=$((failures + 1)); fi
if grep -q '^\*\*2 of 6 SLO checks fail' "$tmp/qs/report.md"; then echo "ok   report.md"; passes=$((passes + 1));
else echo "FAIL report.md"; failures=$((failures + 1)); fi
mkdir -p "$tmp/mine" && echo "keep me" > "$tmp/mine/notes.txt"
check "run: refuses a user folder" 2 'is not a kubetwin output folder' -- run data/scenarios/quickstart.yaml --out "$tmp/mine"
if [ "$(cat "$tmp/mine/notes.txt")" = "keep me" ]; then echo "ok   user folder untouched"; passes=$((passes + 1));
else echo "FAIL user folder modified"; failures=$((failures + 1)); fi
"$kubetwin" run data/scenarios/quickstart.yaml --threads 1 --out "$tmp/t1" --quiet >/dev/null
"$kubetwin" run data/scenarios/quickstart.yaml --threads 2 --out "$tmp/t2" --quiet >/dev/null
"$kubetwin" run data/scenarios/quickstart.yaml --threads 2 --out "$tmp/t2" --quiet >/dev/null  # replaces its own output
if cmp -s "$tmp/t1/summary.json" "$tmp/t2/summary.json" && cmp -s "$tmp/t1/timeseries.csv" "$tmp/t2/timeseries.csv"; then
  echo "ok   byte-identical outputs for --threads 1 and 2"; passes=$((passes + 1))
else echo "FAIL outputs differ between --threads 1 and 2"; failures=$((failures + 1)); fi
# summary.json has SPEC.md's shape: every policy x replication in runs, mean/ci95/min/max for
# every key of every policy, one verdict per SLO x policy.
if /usr/bin/python3 - "$tmp/qs/summary.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["scenario"] == "quickstart" and isinstance(d["version"], str)
assert len(d["runs"]) == 3 * 5
for r in d["runs"]:
    assert set(r) >= {"policy", "seed", "metrics"} and all(isinstance(v, (int, float)) for v in r["metrics"].values())
keys = {"requests.total", "requests.completed", "requests.failed", "latency.mean_ms",
        "latency.p50_ms", "latency.p95_ms", "latency.p99_ms", "wait.mean_ms", "replicas.mean", "replicas.max",
        "replicas.final"}
for policy, metrics in d["policies"].items():
    assert keys <= set(metrics), keys - set(metrics)
    assert {"workloads.shoppers." + k for k in keys} <= set(metrics)
    # No node pools: nodes, their cost and pending or evicted pods do not apply, so are absent;
    # no path of the fleet drops a request, so requests.dropped is absent too.
    assert not [k for k in metrics if k.endswith("requests.dropped")], "requests.dropped"
    assert not [k for k in metrics if {"cost", "pods", "nodes"} & set(k.split("."))], metrics.keys()
    for s in metrics.values():
        assert set(s) == {"mean", "ci95", "min", "max"} and s["min"] <= s["mean"] <= s["max"]
assert len(d["slo"]) == 2 * 3
for v in d["slo"]:
    assert set(v) >= {"metric", "policy", "value", "pass"} and ("max" in v or "min" in v)
PY
then echo "ok   summary.json has SPEC.md's shape and keys"; passes=$((passes + 1));
else echo "FAIL summary.json shape"; failures=$((failures + 1)); fi
if "$kubetwin" run data/scenarios/quickstart.yaml --format json --out "$tmp/js" --quiet | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); assert set(d) >= {"scenario","version","runs","policies","slo"}'; [ "${PIPESTATUS[1]}" = 0 ]; then
  echo "ok   --format json prints summary.json"; passes=$((passes + 1))
else echo "FAIL --format json"; failures=$((failures + 1)); fi
# SIGINT during a run leaves no output folder (and no hidden temporary one).
sed -e "s#duration: 500000s#duration: 30000000s#" -e "s#name: mm3-benchmark#name: long#" \
    -e "s#manifests/checkout.yaml#$PWD/data/scenarios/manifests/checkout.yaml#" \
    data/scenarios/mm3-benchmark.yaml > "$tmp/long.yaml"
mkdir -p "$tmp/sig"
"$kubetwin" run "$tmp/long.yaml" --out "$tmp/sig/out" --quiet >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" = 130 ] && [ -z "$(ls -A "$tmp/sig")" ]; then
  echo "ok   SIGINT during a run: exit 130, no output folder"; passes=$((passes + 1))
else
  echo "FAIL SIGINT during a run: exit $rc, left: $(ls -A "$tmp/sig")"; failures=$((failures + 1))
fi
# sweep and merge: the shards joined are byte for byte the unsharded sweep.
grid=(--set "Deployment/checkout:spec.replicas=3,4,5" --set "spec.workloads[0].arrival.rate=2/s,2.4/s")
check "sweep: an SLO fails somewhere" 1 '^1  3  2.4/s  three-replicas .* FAIL$' -- sweep data/scenarios/quickstart.yaml "${grid[@]}" --out "$tmp/sweep" --quiet
for k in 1 2; do "$kubetwin" sweep data/scenarios/quickstart.yaml "${grid[@]}" --shard "$k/2" --out "$tmp/shard$k" --quiet >/dev/null; done
"$kubetwin" merge "$tmp/shard1" "$tmp/shard2" --out "$tmp/merged" 2>/dev/null
if cmp -s "$tmp/merged/sweep.csv" "$tmp/sweep/sweep.csv" && cmp -s "$tmp/merged/sweep.json" "$tmp/sweep/sweep.json"; then
  echo "ok   merged shards equal the unsharded sweep byte for byte"; passes=$((passes + 1))
else echo "FAIL merged shards differ from the unsharded sweep"; failures=$((failures + 1)); fi
check "merge: a missing shard"     2 'grid point 1 is in none of the folders' -- merge "$tmp/shard1" --out "$tmp/m1"
check "sweep: bad path"            2 'out of range' -- sweep data/scenarios/quickstart.yaml --set "spec.workloads[3].arrival.rate=1/s" --out "$tmp/bad"
rate_line=$(grep -n 'rate: 2.4/s' data/scenarios/quickstart.yaml | head -1 | cut -d: -f1)
check "sweep: a bad --set value at its field" 2 "quickstart.yaml:$rate_line:[0-9]+: error: spec.workloads\[0\].arrival.rate: invalid rate \"abc\"" -- sweep data/scenarios/quickstart.yaml --set "spec.workloads[0].arrival.rate=abc" --out "$tmp/badset"
manifests_abs="$(pwd)/data/scenarios/manifests/checkout.yaml"
sed -e 's#arrival: {process: poisson, rate: 2.4/s}#arrival: {process: trace, file: no-such-trace.csv}#' \
    -e "s#\[manifests/checkout.yaml\]#[$manifests_abs]#" data/scenarios/quickstart.yaml > "$tmp/trace-case.yaml"
check "a missing trace at its file: field" 2 "trace-case.yaml:$rate_line:[0-9]+: error: trace file .*no-such-trace.csv not found" -- validate "$tmp/trace-case.yaml"
printf 'time_s\n1\n3\n2\n' > "$tmp/unsorted.csv"
sed -e "s#arrival: {process: poisson, rate: 2.4/s}#arrival: {process: trace, file: $tmp/unsorted.csv}#" \
    -e "s#\[manifests/checkout.yaml\]#[$manifests_abs]#" data/scenarios/quickstart.yaml > "$tmp/trace-case.yaml"
check "a bad trace line at its line" 2 "unsorted.csv:4:1: error: arrival times must not decrease" -- validate "$tmp/trace-case.yaml"
check "sweep: bad shard"           2 'shard K/N needs 1 <= K <= N' -- sweep data/scenarios/quickstart.yaml "${grid[@]}" --shard 3/2
check "sweep: --shard index/N without a task index" 2 'neither JOB_COMPLETION_INDEX .* nor SLURM_ARRAY_TASK_ID' -- sweep data/scenarios/quickstart.yaml "${grid[@]}" --shard index/2
check "sweep: --resume with nothing to resume" 2 'no partial results at .*never.partial' -- sweep data/scenarios/quickstart.yaml "${grid[@]}" --resume "$tmp/never"
OMPI_COMM_WORLD_SIZE=2 check "run on several MPI ranks is refused" 2 'does not run on several MPI ranks' -- run data/scenarios/quickstart.yaml --out "$tmp/mpi-run"
check "run --sample"              1 'FAIL' -- run data/scenarios/quickstart.yaml --sample 10s --out "$tmp/sample" --quiet
if [ "$(sed -n 3p "$tmp/sample/timeseries.csv" | cut -d, -f3)" = 10 ]; then echo "ok   --sample 10s: rows every 10 s"; passes=$((passes + 1));
else echo "FAIL --sample rows"; failures=$((failures + 1)); fi
check "run --sample bad"          2 'sample must be a duration' -- run data/scenarios/quickstart.yaml --sample fast --out "$tmp/sb"
check "run marks the best"        1 'wait.mean_ms .* \*$' -- run data/scenarios/quickstart.yaml --out "$tmp/best" --quiet
check "run --format md"            1 '^\| metric \| three-replicas \| eight-replicas \| five-least-request \|' -- run data/scenarios/quickstart.yaml --format md --out "$tmp/md" --quiet
check "run: bad --format"          2 'format must be table, json or md' -- run data/scenarios/quickstart.yaml --format xml

echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
