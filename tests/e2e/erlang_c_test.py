#!/usr/bin/python3
"""End to end: `kubetwin run` on an M/M/4 queue at rho = 0.8 must give Erlang C's mean wait.

usage: erlang_c_test.py KUBETWIN SCENARIO

The test passes when the mean of wait.mean_ms over the replications lies within 3 standard
errors of the closed form, and the standard error is small enough (< 5 % of the target) that
a model off by more than ~15 % could not pass.
"""
import json
import math
import subprocess
import sys
import tempfile


def erlang_c_wait_s(servers: int, arrival_rate: float, service_rate: float) -> float:
    a = arrival_rate / service_rate
    rho = a / servers
    term = 1.0
    total = 1.0  # sum of a^k / k! for k < servers
    for k in range(1, servers):
        term *= a / k
        total += term
    last = term * a / servers / (1.0 - rho)  # a^c / c! / (1 - rho)
    prob_wait = last / (total + last)
    return prob_wait / (servers * service_rate - arrival_rate)


def main() -> int:
    kubetwin, scenario = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        out = f"{tmp}/out"
        run = subprocess.run([kubetwin, "run", scenario, "--out", out, "--quiet", "--threads", "2"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stdout, run.stderr)
            print(f"FAIL: kubetwin run exited {run.returncode}")
            return 1
        summary = json.load(open(f"{out}/summary.json"))
    waits = [r["metrics"]["workloads.mm4.wait.mean_ms"] for r in summary["runs"]]
    n = len(waits)
    mean = sum(waits) / n
    sd = math.sqrt(sum((w - mean) ** 2 for w in waits) / (n - 1))
    se = sd / math.sqrt(n)
    expected = erlang_c_wait_s(4, 3.2, 1.0) * 1000.0
    z = (mean - expected) / se
    print(f"M/M/4 rho=0.8: wait.mean_ms {mean:.2f} over {n} replications (se {se:.2f}); "
          f"Erlang C {expected:.2f}; z = {z:+.2f}")
    if se > 0.05 * expected:
        print("FAIL: standard error too large for a meaningful check")
        return 1
    if abs(z) > 3.0:
        print("FAIL: more than 3 standard errors from Erlang C")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
