#!/usr/bin/env python3
"""data/traces/azure-fitted against its generator and the published figures it was drawn from.

The shipped files are what make_azure_fitted.py writes (byte for byte), and the written
population follows the points read off the Azure dataset's notebook (Figure 5(a): daily
invocations per application, conditioned on at least one a day; Figure 3(b): 13.36 %
timer-only applications): each share within 3 binomial standard errors of 300 applications.

usage: azure_fitted_test.py REPO_ROOT
"""
import csv
import filecmp
import math
import os
import subprocess
import sys
import tempfile


def main():
    root = os.path.abspath(sys.argv[1])
    traces = os.path.join(root, "data", "traces")
    shipped = os.path.join(traces, "azure-fitted")
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(traces, "make_azure_fitted.py"), tmp],
                       check=True, cwd=traces)
        for name in ("invocations_per_function_md.anon.d01.csv",
                     "function_durations_percentiles.anon.d01.csv"):
            if not filecmp.cmp(os.path.join(tmp, name), os.path.join(shipped, name), shallow=False):
                failures.append(f"{name} differs from what make_azure_fitted.py writes")
    sys.path.insert(0, traces)
    from make_azure_fitted import RATE_CDF, TIMER_ONLY_SHARE  # noqa: E402

    with open(os.path.join(shipped, "invocations_per_function_md.anon.d01.csv")) as f:
        rows = list(csv.reader(f))[1:]
    n = len(rows)
    daily = [sum(map(int, r[4:])) for r in rows]

    def cdf_at(x):  # the figure's CDF conditioned on at least one invocation a day
        lo = RATE_CDF[0][1]
        p = dict(RATE_CDF)[x]
        return (p - lo) / (1 - lo)

    checks = [(f"apps with at most {x} a day", sum(d <= x for d in daily) / n, cdf_at(x))
              for x in (24, 288, 1440, 86400)]
    checks.append(("timer-only apps", sum(r[3] == "timer" for r in rows) / n, TIMER_ONLY_SHARE))
    for what, got, want in checks:
        se = math.sqrt(want * (1 - want) / n)
        print(f"     {what}: {got:.3f} (figure {want:.3f}, standard error {se:.3f})")
        if abs(got - want) > 3 * se:
            failures.append(f"{what}: {got:.3f}, more than 3 standard errors from {want:.3f}")
    if n != 300:
        failures.append(f"{n} applications, expected 300")
    for f in failures:
        print("FAIL " + f)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
