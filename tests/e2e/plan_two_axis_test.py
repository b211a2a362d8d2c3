#!/usr/bin/python3
"""`kubetwin plan` with two --vary axes finds the optimum that exhaustive search of the same
grid finds, without running the whole grid, and that optimum is the known answer.

usage: plan_two_axis_test.py KUBETWIN

Two Deployments, each reached directly (kube-proxy's random choice per request), so c
replicas of one are c M/M/1 queues at load lambda / c: W(c) = rho / (mu (1 - rho)). a gets
8/s, b 3/s, exponential service of mean 1 s; each SLO bound lies halfway (geometrically)
between the mean wait with c* - 1 and c* replicas (a: 10 -> 4 s, 11 -> 2.67 s; b: 4 -> 3 s,
5 -> 1.5 s). Minimising replicas.mean (the pods of both), the cheapest setting is a=11, b=5.
"""
import csv
import math
import os
import subprocess
import sys
import tempfile


def wait_s(servers, arrival_rate, service_rate=1.0):
    rho = arrival_rate / servers / service_rate
    return math.inf if rho >= 1 else rho / (service_rate * (1 - rho))


MANIFEST = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata:
      labels: {{app: {name}}}
      annotations: {{kubetwin.io/container-concurrency: "1"}}
    spec:
      containers: [{{name: app, image: example.com/app:1, resources: {{requests: {{cpu: 500m, memory: 256Mi}}}}}}]
"""


def plan(kubetwin, scenario, out, search):
    cmd = [kubetwin, "plan", scenario, "--vary", "Deployment/a:spec.replicas=8..14", "--vary",
           "Deployment/b:spec.replicas=2..8", "--minimize", "replicas.mean", "--search", search,
           "--out", out, "--quiet"]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        print(run.stdout, run.stderr)
        raise SystemExit(f"FAIL: plan --search {search} exited {run.returncode}")
    with open(os.path.join(out, "plan.csv")) as f:
        rows = list(csv.DictReader(f))
    return run.stdout, rows


def main():
    kubetwin = sys.argv[1]
    bound_a = 1000 * math.sqrt(wait_s(10, 8) * wait_s(11, 8))
    bound_b = 1000 * math.sqrt(wait_s(4, 3) * wait_s(5, 3))
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "apps.yaml"), "w") as f:
            f.write(MANIFEST.format(name="a") + "---\n" + MANIFEST.format(name="b"))
        scenario = os.path.join(tmp, "two.yaml")
        with open(scenario, "w") as f:
            f.write(f"""apiVersion: kubetwin.io/v1alpha1
kind: Scenario
metadata: {{name: two-axis}}
spec:
  duration: 20000s
  warmup: 500s
  replications: 4
  seed: 5
  manifests: [apps.yaml]
  workloads:
    - {{name: la, target: Deployment/a, arrival: {{process: poisson, rate: 8/s}}, service: {{distribution: exponential, mean: 1s}}}}
    - {{name: lb, target: Deployment/b, arrival: {{process: poisson, rate: 3/s}}, service: {{distribution: exponential, mean: 1s}}}}
  slo:
    - {{metric: workloads.la.wait.mean_ms, max: {bound_a:.3f}}}
    - {{metric: workloads.lb.wait.mean_ms, max: {bound_b:.3f}}}
""")
        auto_out, auto_rows = plan(kubetwin, scenario, os.path.join(tmp, "auto"), "auto")
        full_out, full_rows = plan(kubetwin, scenario, os.path.join(tmp, "full"), "exhaustive")
    want = "Deployment/a:spec.replicas=11, Deployment/b:spec.replicas=5 is the cheapest"
    failures = []
    if len(full_rows) != 49:
        failures.append(f"exhaustive search ran {len(full_rows)} settings, not the grid's 49")
    if len(auto_rows) >= 49:
        failures.append(f"the search ran {len(auto_rows)} settings: the whole grid")
    for name, out in (("auto", auto_out), ("exhaustive", full_out)):
        if want not in out:
            failures.append(f"{name} search did not find a=11, b=5:\n{out}")
    # The Pareto frontier (replicas against la's wait) holds the optimum, and no frontier
    # point is beaten on both by another setting.
    frontier = [r for r in full_rows if r["pareto"] == "1"]
    points = [(float(r["replicas.mean"]), float(r["slo:workloads.la.wait.mean_ms"])) for r in full_rows]
    for r in frontier:
        x, y = float(r["replicas.mean"]), float(r["slo:workloads.la.wait.mean_ms"])
        if any(px <= x and py <= y and (px < x or py < y) for px, py in points):
            failures.append(f"frontier point {r} is dominated")
    if not frontier:
        failures.append("no Pareto frontier in plan.csv")
    print(auto_out)
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print(f"ok: a=11, b=5 by both searches; the search ran {len(auto_rows)} of 49 settings")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
