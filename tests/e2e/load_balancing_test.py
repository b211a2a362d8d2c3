#!/usr/bin/python3
"""End to end: how requests reach pods, through `kubetwin run`, against queueing theory.

usage: load_balancing_test.py KUBETWIN E2E_DIR

Each request is dispatched to one pod on arrival and queues there (SPEC "How requests reach
pods"). With c single-slot pods at load rho = lambda / (c mu):
  random (kube-proxy): c M/M/1 queues, W = rho / (mu - lambda / c)
  round-robin: c E_c/M/1 queues (GI/M/1), W = sigma / (mu (1 - sigma)), sigma the root of
    sigma = (lambda / (lambda + mu (1 - sigma)))^c
  least-request, two random choices, many pods: the mean-field limit (Mitzenmacher), mean
    time in system sum_{i>=1} rho^(2^i - 2) / mu
A check passes when the replications' mean wait lies within 3 standard errors of the theory
(least-request: of the limit plus 5 %, the finite system's allowance) and the standard error
is under 5 % of it, so a model off by ~15 % cannot pass.
"""
import json
import math
import subprocess
import sys
import tempfile


def ecm1_wait_s(c, lam, mu=1.0):
    sigma = 0.5
    for _ in range(2000):
        sigma = (lam / (lam + mu * (1 - sigma))) ** c
    return sigma / (mu * (1 - sigma))


def p2c_wait_s(rho, mu=1.0):
    return sum(rho ** (2 ** i - 2) for i in range(1, 40)) / mu - 1 / mu


def run(kubetwin, scenario, tmp):
    out = f"{tmp}/{scenario.rsplit('/', 1)[-1]}"
    r = subprocess.run([kubetwin, "run", scenario, "--out", out, "--quiet", "--threads", "2"],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        print(r.stdout, r.stderr)
        raise SystemExit(f"FAIL: kubetwin run {scenario} exited {r.returncode}")
    return json.load(open(f"{out}/summary.json"))


def waits(summary, policy):
    return [r["metrics"]["workloads.shoppers.wait.mean_ms"] / 1000 for r in summary["runs"]
            if r["policy"] == policy]


def check(name, values, expected, allowance=0.0):
    n = len(values)
    mean = sum(values) / n
    se = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) / math.sqrt(n)
    z = (mean - expected) / se
    ok = abs(mean - expected) <= 3 * se + allowance * expected and se < 0.05 * expected
    print(f"{'ok  ' if ok else 'FAIL'} {name}: wait {mean:.3f} s over {n} replications "
          f"(se {se:.3f}), theory {expected:.3f} s, z = {z:+.2f}")
    return ok


def main():
    kubetwin, e2e = sys.argv[1], sys.argv[2]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        three = run(kubetwin, f"{e2e}/lb_three_pods.yaml", tmp)
        ok &= check("native (DestinationRule ROUND_ROBIN) = E3/M/1", waits(three, "native"),
                    ecm1_wait_s(3, 2.4))
        ok &= check("random (kube-proxy) = M/M/1 at 0.8", waits(three, "random"), 0.8 / 0.2)
        ok &= check("round-robin = E3/M/1", waits(three, "round-robin"), ecm1_wait_s(3, 2.4))
        hundred = run(kubetwin, f"{e2e}/lb_hundred_pods.yaml", tmp)
        ok &= check("native (VirtualService -> LEAST_REQUEST), 100 pods = power of two choices",
                    waits(hundred, "native"), p2c_wait_s(0.8), allowance=0.05)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
