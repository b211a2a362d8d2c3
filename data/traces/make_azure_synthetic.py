#!/usr/bin/python3
"""Writes a small synthetic population in the format of the Azure Functions 2019 dataset.

usage: make_azure_synthetic.py OUT_DIR

Not real data: a stand-in with the dataset's columns (AzurePublicDataset,
AzureFunctionsDataset2019.md) and the shape its paper reports (Shahrad et al., "Serverless in
the Wild", USENIX ATC 2020: invocation rates spanning about eight orders of magnitude, a
large share of timer-triggered functions). Parameters, all fixed here:
  - 300 functions, seed 2019; owner, app and function hashes are hex digests of their index;
  - 60 timer-triggered functions firing every 1, 5, 10, 15, 30 or 60 minutes (equally often),
    one invocation per firing, from a random phase;
  - 240 others (triggers http, queue, event, storage in proportions 50/20/20/10 %) with a
    mean rate log-uniform between 1 per day and 100 per minute, Poisson per minute, modulated
    by a daily sine of amplitude 0.5 peaking at 14:00;
  - durations lognormal per function: median log-uniform in 10 ms .. 10 s, sigma 0.8; the
    percentile columns 0, 1, 25, 50, 75, 99, 100 are that lognormal's quantiles (0 and 100
    at 0.1 % and 99.9 %), Count the function's invocations of the day.
"""
import hashlib
import math
import os
import random
import sys

FUNCTIONS, TIMERS, SEED = 300, 60, 2019
PERIODS = [1, 5, 10, 15, 30, 60]
Z = {0: -3.090, 1: -2.326, 25: -0.674, 50: 0.0, 75: 0.674, 99: 2.326, 100: 3.090}


def digest(kind, i):
    return hashlib.sha256(f"{kind}-{i}".encode()).hexdigest()


def poisson(rng, lam):
    if lam < 30:
        k, p, limit = 0, 1.0, math.exp(-lam)
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def duration_row(rng, owner, app, fn, count):
    """A function's row of the durations file: lognormal, median log-uniform in 10 ms .. 10 s,
    sigma 0.8; the percentile columns that lognormal's quantiles (0 and 100 at 0.1 % and
    99.9 %), Count the day's invocations."""
    median = math.exp(rng.uniform(math.log(10), math.log(10000)))
    q = {p: median * math.exp(0.8 * z) for p, z in Z.items()}
    mean = median * math.exp(0.8 ** 2 / 2)
    return ([owner, app, fn, f"{mean:.3f}", str(count), f"{q[0]:.3f}", f"{q[100]:.3f}"]
            + [f"{q[p]:.3f}" for p in (0, 1, 25, 50, 75, 99, 100)])


def write_files(out, rows, durations):
    """The dataset's two files for day 1: invocation counts per minute and duration percentiles."""
    with open(f"{out}/invocations_per_function_md.anon.d01.csv", "w") as f:
        f.write(",".join(["HashOwner", "HashApp", "HashFunction", "Trigger"]
                         + [str(m) for m in range(1, 1441)]) + "\n")
        for r in rows:
            f.write(",".join(map(str, r)) + "\n")
    with open(f"{out}/function_durations_percentiles.anon.d01.csv", "w") as f:
        f.write("HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,"
                "percentile_Average_0,percentile_Average_1,percentile_Average_25,"
                "percentile_Average_50,percentile_Average_75,percentile_Average_99,"
                "percentile_Average_100\n")
        for d in durations:
            f.write(",".join(d) + "\n")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)
    rows, durations = [], []
    for i in range(FUNCTIONS):
        owner, app, fn = digest("owner", i // 10), digest("app", i // 3), digest("function", i)
        if i < TIMERS:
            trigger = "timer"
            period = PERIODS[i % len(PERIODS)]
            phase = rng.randrange(period)
            counts = [1 if (m - phase) % period == 0 else 0 for m in range(1440)]
        else:
            trigger = rng.choices(["http", "queue", "event", "storage"], [50, 20, 20, 10])[0]
            per_minute = math.exp(rng.uniform(math.log(1 / 1440), math.log(100)))
            counts = []
            for m in range(1440):
                shape = 1 + 0.5 * math.sin(2 * math.pi * (m - 14 * 60 + 360) / 1440)
                counts.append(poisson(rng, per_minute * shape))
        rows.append([owner, app, fn, trigger] + counts)
        durations.append(duration_row(rng, owner, app, fn, sum(counts)))
    write_files(out, rows, durations)


if __name__ == "__main__":
    main()
