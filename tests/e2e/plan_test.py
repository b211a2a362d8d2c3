#!/usr/bin/python3
"""`kubetwin plan` finds the known answer: the smallest number of replicas c for which the
mean wait is under an SLO. The Deployment is reached directly (kube-proxy's random choice per
request), so c replicas are c M/M/1 queues at load lambda / c: W(c) = rho / (mu (1 - rho)).

usage: plan_test.py KUBETWIN REPO_ROOT

lambda = 8/s, exponential service with mean 1 s; the SLO bound lies halfway (geometrically)
between the mean wait with c* - 1 and with c* replicas, so that the simulation's noise
cannot move the answer.
"""
import math
import os
import subprocess
import sys
import tempfile


def random_wait_s(servers, arrival_rate, service_rate):
    rho = arrival_rate / servers / service_rate
    if rho >= 1:
        return math.inf
    return rho / (service_rate * (1 - rho))


def main():
    kubetwin, root = sys.argv[1], sys.argv[2]
    expected = 11  # W(10) = 4 s, W(11) = 2.67 s
    bound_ms = 1000 * math.sqrt(random_wait_s(expected - 1, 8, 1) * random_wait_s(expected, 8, 1))
    with tempfile.TemporaryDirectory() as tmp:
        scenario = os.path.join(tmp, "mmc.yaml")
        with open(scenario, "w") as f:
            f.write(f"""apiVersion: kubetwin.io/v1alpha1
kind: Scenario
metadata: {{name: mmc-sizing}}
spec:
  duration: 20000s
  warmup: 500s
  replications: 4
  seed: 5
  manifests: [{root}/data/scenarios/manifests/checkout.yaml]
  workloads:
    - name: load
      target: Deployment/checkout
      arrival: {{process: poisson, rate: 8/s}}
      service: {{distribution: exponential, mean: 1s}}
  slo:
    - {{metric: wait.mean_ms, max: {bound_ms:.3f}}}
""")
        run = subprocess.run([kubetwin, "plan", scenario, "--vary",
                              "Deployment/checkout:spec.replicas=1..40", "--out",
                              os.path.join(tmp, "out"), "--quiet"], capture_output=True, text=True)
        print(run.stdout)
        want = f"plan: Deployment/checkout:spec.replicas={expected} is the cheapest"
        if run.returncode != 0 or want not in run.stdout:
            print(run.stderr)
            print(f"FAIL: expected {expected} replicas (bound {bound_ms:.1f} ms, M/M/1 per pod: "
                  f"c={expected - 1} waits {1000 * random_wait_s(expected - 1, 8, 1):.1f} ms, "
                  f"c={expected} waits {1000 * random_wait_s(expected, 8, 1):.1f} ms)")
            return 1
        if not os.path.exists(os.path.join(tmp, "out", "plan.svg")):
            print("FAIL: no plan.svg")
            return 1
    print(f"ok: {expected} replicas, as M/M/1 per pod says (bound {bound_ms:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
