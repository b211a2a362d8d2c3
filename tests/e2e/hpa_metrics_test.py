#!/usr/bin/python3
"""End to end: what each HPA metric scales to, through `kubetwin run`.

usage: hpa_metrics_test.py KUBETWIN E2E_DIR

The Deployment of hpa/api.yaml (6 single-slot pods, 500m CPU and 256Mi requested, memory
32Mi idle + 128Mi per request in service) takes a Poisson 100/s of exponential 20 ms
requests: 2 Erlangs of work. Per pod at n replicas the mean load gives
  cpu utilisation 2/n, memory 32Mi + 128Mi * 2/n, requests per second 100/n,
and upstream's rule (the replica calculator, kubernetes.io HPA docs) proposes n while
|1 - value/target| <= 0.1, else ceil(value/target * n); with several metrics the largest
proposal. The HPA rests only where its proposal is its replica count: the stable set
{n : proposal(n) = n}, computed here independently of kubetwin. Which member a run reaches
depends on the noise of its path (an HPA does not move inside its tolerance), so each
replication must hold one replica count for the whole measured hour (mean = max = final)
and that count must lie in its variant's stable set. The sets of the single-metric variants
are disjoint, so an HPA simulated on the wrong metric (the old CPU-80 % stand-in) fails. An
HPA with a metric of no simulated source must leave the 6 replicas and say so in
summary.json's not_simulated; a direction Disabled must not move.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

LOAD = 2.0  # Erlangs
RATE = 100.0


def stable(proposals):
    return {n for n in range(1, 31) if max(p(n) for p in proposals) == n}


def rule(value_at, target):
    def propose(n):
        ratio = value_at(n) / target
        return n if abs(1 - ratio) <= 0.1 else math.ceil(ratio * n)
    return propose


cpu = lambda t: rule(lambda n: LOAD / n, t / 100)
memory = lambda t_mi: rule(lambda n: 32 + 128 * LOAD / n, t_mi)
rps = lambda t: rule(lambda n: RATE / n, t)

CASES = {
    "default": (stable([cpu(80)]), None),
    "cpu60": (stable([cpu(60)]), None),
    "cpu30": (stable([cpu(30)]), None),
    "v1": (stable([cpu(60)]), None),
    "memory": (stable([memory(48)]), None),
    "rps": (stable([rps(12)]), None),
    "two-metrics": (stable([rps(18), cpu(30)]), None),
    "unknown": ({6}, "packets-per-second has no simulated source"),
    "up-disabled": ({6}, None),    # cpu30 alone scales up (checked below)
    "down-disabled": ({6}, None),  # cpu60 alone scales down (checked below)
}

SCENARIO = """apiVersion: kubetwin.io/v1alpha1
kind: Scenario
metadata:
  name: hpa-{name}
spec:
  duration: 3600s
  warmup: 1800s
  replications: 2
  seed: 11
  manifests: [{dir}/api.yaml, {dir}/hpa-{name}.yaml]
  workloads:
    - name: users
      target: Service/api
      arrival: {{process: poisson, rate: 100/s}}
      service: {{distribution: exponential, mean: 20ms}}
"""


def main():
    kubetwin, e2e = sys.argv[1], os.path.abspath(sys.argv[2])
    failures = []
    singles = [CASES[c][0] for c in ("default", "cpu60", "cpu30", "memory", "rps")]
    assert all(singles) and sum(map(len, singles)) == len(set().union(*singles)), singles
    assert min(CASES["cpu30"][0]) > 6 and max(CASES["cpu60"][0]) < 6, "Disabled needs both"
    assert CASES["two-metrics"][0] == stable([cpu(30)]) and stable([rps(18)]) == {6}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (expected, unsimulated) in CASES.items():
            path = f"{tmp}/{name}.yaml"
            with open(path, "w") as f:
                f.write(SCENARIO.format(name=name, dir=f"{e2e}/hpa"))
            r = subprocess.run([kubetwin, "run", path, "--out", f"{tmp}/{name}", "--quiet"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                failures.append(f"{name}: exit {r.returncode}: {r.stderr}")
                continue
            with open(f"{tmp}/{name}/summary.json") as f:
                summary = json.load(f)
            counts = []
            for run in summary["runs"]:
                m = run["metrics"]
                held = m["replicas.mean"] == m["replicas.max"] == m["replicas.final"]
                counts.append(m["replicas.final"] if held else None)
            ok = all(c in expected for c in counts)
            said = any(unsimulated in line for line in summary.get("not_simulated", [])) \
                if unsimulated else True
            print(f"{'ok' if ok and said else 'FAIL'}: {name}: replicas per replication "
                  f"{counts} (None: moved), stable set {sorted(expected)}"
                  + (f"; not_simulated says '{unsimulated}': {said}" if unsimulated else ""))
            if not (ok and said):
                failures.append(name)
    if failures:
        print("failed:", failures)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
