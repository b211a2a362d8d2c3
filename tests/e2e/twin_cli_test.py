#!/usr/bin/python3
"""The twin loop as a user runs it: kubetwin import -> calibrate -> backtest on the bundled
sample, with the exit codes and files the CLI promises (docs/cli.md), a JSON dump, a bad
export (exit 2 at file:line:col, nothing written), and run --latency-buckets' columns
(the +Inf count of each sample is the completions since the one before).

usage: twin_cli_test.py KUBETWIN REPO_ROOT
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml


def run(args, expect):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != expect:
        sys.exit(f"{' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


def main():
    kubetwin, root = sys.argv[1], sys.argv[2]
    sample = os.path.join(root, "data", "twin-sample")
    with tempfile.TemporaryDirectory() as tmp:
        imported = os.path.join(tmp, "imported")
        p = run([kubetwin, "import", os.path.join(sample, "cluster-dump.yaml"), "--out", imported], 0)
        assert "workload checkout" in p.stdout and "workload catalog" in p.stdout, p.stdout
        summary = json.load(open(os.path.join(imported, "import.json")))
        assert [pool["count"] for pool in summary["pools"]] == [3, 2, 1], summary
        assert summary["pools"][2]["pricePerHour"] == 0.34, summary
        run([kubetwin, "validate", os.path.join(imported, "scenario.yaml")], 0)

        # The same dump as `kubectl get -o json` would print it imports to the same pools.
        dump = yaml.safe_load(open(os.path.join(sample, "cluster-dump.yaml")))
        as_json = os.path.join(tmp, "dump.json")
        json.dump(dump, open(as_json, "w"), indent=4)
        run([kubetwin, "import", as_json, "--out", os.path.join(tmp, "from-json")], 0)
        again = json.load(open(os.path.join(tmp, "from-json", "import.json")))
        assert again["pools"] == summary["pools"], (again, summary)

        calibrated = os.path.join(tmp, "calibrated")
        p = run([kubetwin, "calibrate", os.path.join(imported, "scenario.yaml"), "--prometheus",
                 os.path.join(sample, "prometheus", "day1"), "--out", calibrated, "--threads", "2"], 0)
        fits = json.load(open(os.path.join(calibrated, "calibration.json")))
        assert fits["workloads"]["checkout"]["service"]["kept"] == "lognormal", fits
        assert fits["workloads"]["catalog"]["service"]["kept"] == "gamma", fits
        assert os.path.exists(os.path.join(calibrated, "calibration.md"))
        sc = yaml.safe_load(open(os.path.join(calibrated, "scenario.yaml")))
        assert sc["spec"]["duration"] == "24h", sc["spec"]["duration"]
        assert sc["spec"]["workloads"][0]["arrival"]["process"] == "diurnal"
        run([kubetwin, "validate", os.path.join(calibrated, "scenario.yaml")], 0)

        # Replay writes the observed rate curve beside the scenario, and it runs.
        replay = os.path.join(tmp, "replay")
        run([kubetwin, "calibrate", os.path.join(imported, "scenario.yaml"), "--prometheus",
             os.path.join(sample, "prometheus", "day1"), "--out", replay, "--arrival", "replay",
             "--no-queueing-correction"], 0)
        with open(os.path.join(replay, "rates", "checkout.csv")) as f:
            rows = list(csv.reader(f))
        assert len(rows) == 1441, len(rows)  # header + one row per minute of the day
        run([kubetwin, "run", os.path.join(replay, "scenario.yaml"), "--replications", "1",
             "--quiet", "--out", os.path.join(tmp, "replay-run")], 0)

        # Nine replications: a band from the lowest to the highest, nominally 80 %.
        bt = os.path.join(tmp, "bt")
        args = [kubetwin, "backtest", os.path.join(calibrated, "scenario.yaml"), "--prometheus",
                os.path.join(sample, "prometheus", "day2"), "--replications", "9", "--threads", "2"]
        p = run(args + ["--out", bt, "--min-coverage", "0.6"], 0)
        assert "--min-coverage 0.6: pass" in p.stdout, p.stdout
        result = json.load(open(os.path.join(bt, "backtest.json")))
        assert abs(result["nominalCoverage"] - 0.8) < 1e-12, result
        for name in ("report.md", "report.html", "backtest.csv"):
            assert os.path.exists(os.path.join(bt, name)), name
        p = run(args + ["--out", bt, "--min-coverage", "0.999"], 1)
        assert "--min-coverage 0.999: FAIL" in p.stdout, p.stdout

        # A bad export: exit 2, the problem at its place, no output folder.
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{"status":"success","data":{"resultType":"vector","result":[]}}\n')
        out = os.path.join(tmp, "never")
        p = run([kubetwin, "calibrate", os.path.join(imported, "scenario.yaml"), "--prometheus",
                 bad, "--out", out], 2)
        assert re.search(r"bad\.json:1:42: error: not a query_range answer", p.stderr), p.stderr
        assert not os.path.exists(out)
        # A user's folder is never replaced.
        mine = os.path.join(tmp, "mine")
        os.makedirs(mine)
        open(os.path.join(mine, "notes.txt"), "w").write("mine")
        run([kubetwin, "import", os.path.join(sample, "cluster-dump.yaml"), "--out", mine], 2)
        assert open(os.path.join(mine, "notes.txt")).read() == "mine"

        # run --latency-buckets: per sample, the +Inf count is the completions since the last.
        out = os.path.join(tmp, "buckets")
        run([kubetwin, "run", os.path.join(root, "data", "scenarios", "quickstart.yaml"),
             "--policy", "three-replicas", "--replications", "1", "--quiet", "--out", out,
             "--latency-buckets", "0.5,1,5"], 1)  # that policy is meant to fail its SLOs
        with open(os.path.join(out, "timeseries.csv")) as f:
            rows = list(csv.DictReader(f))
        previous = 0.0
        for row in rows:
            done = float(row["shoppers.completed"])
            assert float(row["shoppers.latency_count"]) == done - previous, row
            assert float(row["shoppers.latency_le_0.5"]) <= float(row["shoppers.latency_le_1"]), row
            previous = done
    print("twin CLI: import, calibrate, backtest, bad exports and bucket columns as documented")


if __name__ == "__main__":
    main()
