#!/usr/bin/python3
"""Writes a synthetic population drawn from the distributions the Azure Functions 2019
dataset publishes about itself, in the dataset's format.

usage: make_azure_fitted.py OUT_DIR

Not real data. Where make_azure_synthetic.py exercises the reader (rates log-uniform, Poisson
arrivals), this population follows the released trace's own figures, read off the plots of
the dataset's notebook (github.com/Azure/AzurePublicDataset,
analysis/AzureFunctionsDataset2019-Trace_Analysis.md, "ATC" curves), so that keep-alive
policies can be compared on a population shaped like Azure's:
  - one function per application: applications are Azure Functions' unit of warm-up and
    memory (AzureFunctionsDataset2019.md), and kubetwin keeps each trace function warm on its
    own, so each row here stands for a whole application;
  - 300 applications, seed 2019; owner, app and function hashes are hex digests of the index;
  - average daily invocations from Figure 5(a), the applications' CDF (points RATE_CDF below),
    drawn by inverting it with log-linear interpolation, conditioned on at least one a day
    (a one-day file replayed day after day cannot express rarer applications) and capped at
    100 a minute (about the top 2 %, kept small for the test's run time);
  - 13.36 % timer-only applications (Figure 3(b), "T"): periodic, the period the one of
    PERIODS nearest to the drawn mean inter-arrival time (Figure 6, "Only Timers": half of
    them have an IAT CV of 0), from a random phase;
  - the others renewal processes whose inter-arrival times have the mean the rate gives and a
    coefficient of variation drawn from Figure 6's "No Timers" curve (CV_NO_TIMERS below;
    capped at 30): periodic at CV 0, gamma below 1, lognormal from 1 up (bursty), started
    two days before the written day so that it is seen in its steady state;
  - durations as make_azure_synthetic.py: lognormal per function, median log-uniform in
    10 ms .. 10 s, sigma 0.8, the percentile columns that lognormal's quantiles.
The points below were read off the plots by eye (about +-0.02 in CDF);
tests/scenarios/azure_fitted_test.py checks the written files against them.
"""
import math
import os
import random
import sys

from make_azure_synthetic import digest, duration_row, write_files

APPS, SEED, TIMER_ONLY_SHARE, MAX_PER_DAY = 300, 2019, 0.1336, 144000
# Figure 5(a), applications (ATC): (average daily invocations, CDF).
RATE_CDF = [(1, 0.21), (24, 0.45), (48, 0.50), (96, 0.55), (288, 0.65), (1440, 0.82),
            (1e4, 0.92), (86400, 0.97), (1e6, 0.99), (1e8, 1.0)]
# Figure 6, "No Timers" (ATC): (IAT coefficient of variation, CDF).
CV_NO_TIMERS = [(0, 0.11), (0.5, 0.22), (1, 0.35), (1.5, 0.46), (2, 0.55), (3, 0.68),
                (4, 0.76), (6, 0.85), (8, 0.89), (10, 0.91), (30, 1.0)]
PERIODS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440]  # minutes


def invert(cdf, u, log_x):
    """The x at which the piecewise-linear CDF reaches u (x interpolated in log if log_x)."""
    for (x0, p0), (x1, p1) in zip(cdf, cdf[1:]):
        if u <= p1:
            f = (u - p0) / (p1 - p0) if p1 > p0 else 0.0
            if log_x:
                return math.exp(math.log(x0) + f * (math.log(x1) - math.log(x0)))
            return x0 + f * (x1 - x0)
    return cdf[-1][0]


def timer_counts(rng, per_day):
    mean_min = 1440 / per_day
    period = min(PERIODS, key=lambda p: abs(math.log(p / mean_min)))
    phase = rng.randrange(period)
    return [1 if m >= phase and (m - phase) % period == 0 else 0 for m in range(1440)]


def renewal_counts(rng, per_day, cv):
    mean = 86400 / per_day
    if cv < 0.05:
        gap = lambda: mean
    elif cv < 1:
        k = 1 / (cv * cv)
        gap = lambda: rng.gammavariate(k, mean / k)
    else:
        s2 = math.log(1 + cv * cv)
        mu, s = math.log(mean) - s2 / 2, math.sqrt(s2)
        gap = lambda: rng.lognormvariate(mu, s)
    counts = [0] * 1440
    t = -2 * 86400 + rng.uniform(0, mean)
    while t < 86400:
        if t >= 0:
            counts[int(t // 60)] += 1
        t += gap()
    return counts


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)
    rows, durations = [], []
    for i in range(APPS):
        owner, app, fn = digest("fitted-owner", i), digest("fitted-app", i), digest("fitted-fn", i)
        per_day = min(invert(RATE_CDF, rng.uniform(RATE_CDF[0][1], 1.0), True), MAX_PER_DAY)
        if rng.random() < TIMER_ONLY_SHARE:
            trigger, counts = "timer", timer_counts(rng, per_day)
        else:
            trigger = rng.choices(["http", "queue", "event", "storage"], [55, 15, 2, 5])[0]
            counts = renewal_counts(rng, per_day, invert(CV_NO_TIMERS, rng.random(), False))
        rows.append([owner, app, fn, trigger] + counts)
        durations.append(duration_row(rng, owner, app, fn, sum(counts)))
    write_files(out, rows, durations)


if __name__ == "__main__":
    main()
