#!/usr/bin/python3
"""Writes an Azure Functions 2019-format trace of N functions whose daily invocation counts
follow Zipf's law (rank k gets total / (k^S H_N,S)), each minute's count drawn Poisson around
the function's rate, and a durations file in which every function has the same percentiles
(lognormal, median 150 ms): the workload of bench/compare_keepalive.sh.

usage: make_zipf_trace.py DIR [FUNCTIONS=1000] [TOTAL_PER_DAY=2000000] [S=1.0] [SEED=7]
"""
import math
import os
import random
import sys


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    total = float(sys.argv[3]) if len(sys.argv) > 3 else 2_000_000
    s = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
    rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 7)
    os.makedirs(out, exist_ok=True)
    h = sum(1 / k**s for k in range(1, n + 1))
    names = [f"{k:064x}" for k in range(1, n + 1)]
    with open(os.path.join(out, "invocations_per_function_md.anon.d01.csv"), "w") as f:
        f.write("HashOwner,HashApp,HashFunction,Trigger," + ",".join(str(m) for m in range(1, 1441)) + "\n")
        for k, name in enumerate(names, start=1):
            per_minute = total / (k**s * h) / 1440
            counts = []
            for _ in range(1440):
                # Poisson by inversion for small means, normal approximation for large ones.
                if per_minute < 30:
                    x, p, u = 0, math.exp(-per_minute), rng.random()
                    c = p
                    while u > c:
                        x += 1
                        p *= per_minute / x
                        c += p
                else:
                    x = max(0, round(rng.gauss(per_minute, math.sqrt(per_minute))))
                counts.append(x)
            f.write(f"owner,app{k},{name},http," + ",".join(map(str, counts)) + "\n")
    # Lognormal with median 150 ms and sigma 0.6: its percentiles 0, 1, 25, 50, 75, 99, 100.
    z = {0: -3.5, 1: -2.326, 25: -0.674, 50: 0.0, 75: 0.674, 99: 2.326, 100: 3.5}
    q = [150 * math.exp(0.6 * z[p]) for p in (0, 1, 25, 50, 75, 99, 100)]
    with open(os.path.join(out, "function_durations_percentiles.anon.d01.csv"), "w") as f:
        f.write("HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,"
                "percentile_Average_1,percentile_Average_25,percentile_Average_50,"
                "percentile_Average_75,percentile_Average_99,percentile_Average_100\n")
        for k, name in enumerate(names, start=1):
            f.write(f"owner,app{k},{name},180,1,{q[0]:.3f},{q[-1]:.3f}," + ",".join(f"{v:.3f}" for v in q) + "\n")


if __name__ == "__main__":
    main()
