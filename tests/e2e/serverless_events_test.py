#!/usr/bin/env python3
"""Event sources end to end (tests/e2e/serverless/): a PingSource fires on its cron schedule
to its sink, and a warmer Deployment (TARGET_FUNCTIONS, WARMUP_INTERVAL) keeps a function
warm; a policy switches the warmer off by overriding its replicas to 0.

usage: serverless_events_test.py KUBETWIN DIR
"""
import json
import os
import subprocess
import sys
import tempfile


def main():
    kubetwin, folder = sys.argv[1], sys.argv[2]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        r = subprocess.run([kubetwin, "run", os.path.join(folder, "events.yaml"), "--out", out,
                            "--quiet"], capture_output=True, text=True)
        # The SLO on the pings' cold starts (an event source's workload, named SOURCE~SINK)
        # fails under Knative's defaults only: exit 1.
        if r.returncode != 1:
            print(f"FAIL run: exit {r.returncode}, expected 1 (one SLO fails)\n{r.stderr}")
            return 1
        d = json.load(open(os.path.join(out, "summary.json")))
        outcome = {e["policy"]: e["pass"] for e in d["slo"]}
        if outcome != {"knative-defaults": False, "warmer-on": True, "warmer-off": True}:
            failures.append(f"SLO on ping~event-display: {outcome}")
        p = d["policies"]

        def get(policy, key):
            return p[policy][key]["mean"]

        # 5 h measured, */5 * * * *: 60 events, each 5 min after the last. With Knative's
        # defaults that is farther apart than an idle revision is kept (a stable window, then
        # scale to zero at once, the activator being in the path): every event is cold;
        # fixed:10m keeps it warm between them.
        if get("knative-defaults", "workloads.ping~event-display.coldstarts.count") != 60:
            failures.append("with Knative's defaults every 5-minute ping should be cold")
        for policy in ("knative-defaults", "warmer-on", "warmer-off"):
            n = get(policy, "workloads.ping~event-display.requests.total")
            if n != 60:
                failures.append(f"{policy}: {n} PingSource events in 5 h, expected 60")
        if get("warmer-on", "workloads.ping~event-display.coldstarts.count") != 0:
            failures.append("fixed:10m should keep event-display warm between 5-minute pings")
        # The warmer calls report every 60 s: 300 calls in 5 h; the timer (10 calls) is then
        # never cold under fixed:10m. Without the warmer every timer call is cold.
        if get("warmer-on", "workloads.warmer~report.requests.total") != 300:
            failures.append("warmer-on: expected 300 warm-up calls")
        if get("warmer-on", "workloads.timer.coldstarts.count") != 0:
            failures.append("warmer-on: the timer should find report warm")
        if "workloads.warmer~report.requests.total" in p["warmer-off"]:
            failures.append("warmer-off: the warmer still calls")
        if get("warmer-off", "workloads.timer.coldstarts.ratio") != 1:
            failures.append("warmer-off: every timer call should be cold")
        # The trace population: the hybrid policy lies below the fixed keep-alives' frontier
        # (Shahrad et al.'s Pareto result): fewer cold starts than fixed:20m at no more idle
        # memory, and fewer than fixed:10m.
        out = os.path.join(tmp, "population")
        r = subprocess.run([kubetwin, "run", os.path.join(folder, "population.yaml"), "--out",
                            out, "--quiet"], capture_output=True, text=True)
        if r.returncode != 0:
            failures.append(f"population run: exit {r.returncode}\n{r.stderr}")
        else:
            p = json.load(open(os.path.join(out, "summary.json")))["policies"]
            cold = {k: p[k]["workloads.azure.coldstarts.count"]["mean"] for k in p}
            idle = {k: p[k]["workloads.azure.serverless.idle_gb_s"]["mean"] for k in p}
            for k in p:
                print(f"     {k}: {cold[k]:.0f} cold starts, {idle[k]:.4g} idle GB-s")
            if not cold["fixed-60m"] < cold["fixed-20m"] < cold["fixed-10m"]:
                failures.append("longer fixed keep-alives should have fewer cold starts")
            if not idle["fixed-10m"] < idle["fixed-20m"] < idle["fixed-60m"]:
                failures.append("longer fixed keep-alives should hold more idle memory")
            if not (cold["hybrid"] < cold["fixed-20m"] and idle["hybrid"] <= 1.01 * idle["fixed-20m"]):
                failures.append("hybrid should have fewer cold starts than fixed:20m at no more memory")
            if not cold["hybrid"] < cold["fixed-10m"]:
                failures.append("hybrid should have fewer cold starts than fixed:10m")
        # Members are told apart by their whole hash: two functions whose hashes share a long
        # prefix, each called every minute, run two instances (kept by the platform).
        tdir = os.path.join(tmp, "twins")
        os.makedirs(tdir)
        with open(os.path.join(tdir, "inv.csv"), "w") as f:
            f.write("HashOwner,HashApp,HashFunction,Trigger," + ",".join(map(str, range(1, 1441))) + "\n")
            for last in "12":
                f.write(f"o,a,{'0' * 63}{last},timer," + ",".join(["1"] * 1440) + "\n")
        with open(os.path.join(tdir, "fn.yaml"), "w") as f:
            f.write("provider: {name: openfaas}\nfunctions:\n  fn: {lang: python3, image: x/fn:1}\n")
        with open(os.path.join(tdir, "twins.yaml"), "w") as f:
            f.write("apiVersion: kubetwin.io/v1alpha1\nkind: Scenario\nmetadata: {name: twins}\n"
                    "spec:\n  duration: 1h\n  manifests: [fn.yaml]\n  workloads:\n"
                    "    - {name: pop, target: Function/fn, service: {distribution: deterministic, value: 10ms},\n"
                    "       arrival: {process: azureFunctions, invocations: inv.csv, function: '*'}}\n")
        r = subprocess.run([kubetwin, "run", os.path.join(tdir, "twins.yaml"), "--out",
                            os.path.join(tdir, "out"), "--quiet"], capture_output=True, text=True)
        if r.returncode != 0:
            failures.append(f"twins run: exit {r.returncode}\n{r.stderr}")
        else:
            m = json.load(open(os.path.join(tdir, "out", "summary.json")))["runs"][0]["metrics"]
            if m["workloads.pop.replicas.mean"] < 1.9 or m["workloads.pop.requests.total"] != 120:
                failures.append("two functions with a common hash prefix should run two instances "
                                f"(replicas.mean {m['workloads.pop.replicas.mean']})")
    for f in failures:
        print("FAIL " + f)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
