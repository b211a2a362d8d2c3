#!/usr/bin/python3
"""Every upstream sample of tests/scenarios/upstream validates, and maps as expected.

usage: upstream_samples_test.py KUBETWIN UPSTREAM_DIR

For each file listed in UPSTREAM_DIR/README.md's tables, `kubetwin validate FILE` (run
from UPSTREAM_DIR, so that generated names repeat) must exit 0 and print, for its objects,
exactly the "Kind/name -> handling" lines expected.tsv gives for that file: the model that
simulates each object, or "not simulated: why".
"""
import collections
import os
import re
import subprocess
import sys


def main():
    kubetwin, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    files = []
    with open(f"{root}/README.md") as f:
        for line in f:
            m = re.match(r"\| (\S+) \| (\S+) \| ([0-9a-f]{12}) \|", line)
            if m:
                files.append(m.group(1))
    expected = collections.defaultdict(list)
    with open(f"{root}/expected.tsv") as f:
        for line in f:
            name, handling = line.rstrip("\n").split("\t", 1)
            expected[name].append(handling)
    failures = []
    if len(files) < 40:
        failures.append(f"only {len(files)} samples listed; the issue asks for 40")
    for name in files:
        r = subprocess.run([kubetwin, "validate", name], cwd=root, capture_output=True,
                           text=True, timeout=60)
        lines = [l for l in r.stdout.splitlines() if re.match(r"^[A-Za-z]+/[^ :]+ -> ", l)]
        if r.returncode != 0:
            failures.append(f"{name}: exit {r.returncode}\n{r.stdout}{r.stderr}")
        elif sorted(lines) != sorted(expected[name]):
            failures.append(f"{name}: got\n  " + "\n  ".join(lines) + "\nexpected\n  " +
                            "\n  ".join(expected[name]))
    for name in expected:
        if name not in files:
            failures.append(f"{name}: in expected.tsv but not in README.md")
    print(f"{len(files) - len(failures)} of {len(files)} upstream samples as expected")
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
