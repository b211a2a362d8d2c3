#!/usr/bin/python3
"""Examples are tests (DESIGN.md guideline 7): every scenario in data/scenarios validates,
runs to the verdict its comments claim, and its headline metrics lie in stated ranges.

usage: examples_test.py KUBETWIN REPO_ROOT

The ranges come from closed forms where there is one (the quickstart and mm3-benchmark are
M/M/1 queues per pod behind kube-proxy: wait = rho / (mu - lambda / c)) and otherwise bound
what the scenario's comments say (who passes which SLO, what the outage does). A scenario
without an entry here fails the test: a new example must say what it shows.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile


def mm1_wait_ms(lam, c, mu=1.0):
    rho = lam / c / mu
    return rho / (mu - lam / c) * 1000


# Per scenario: the exit code; SLO outcomes per (policy, metric) (None: every policy);
# ranges (lo, hi) of policy means; pairs of policies whose means must be identical.
EXPECT = {
    "quickstart": {
        "exit": 1,
        "slo": {("three-replicas", None): False, ("eight-replicas", None): True,
                ("five-least-request", None): True},
        "ranges": {
            ("three-replicas", "wait.mean_ms"): (0.75 * mm1_wait_ms(2.4, 3), 1.25 * mm1_wait_ms(2.4, 3)),
            ("eight-replicas", "wait.mean_ms"): (0.85 * mm1_wait_ms(2.4, 8), 1.15 * mm1_wait_ms(2.4, 8)),
            ("five-least-request", "wait.mean_ms"): (200, 0.7 * mm1_wait_ms(2.4, 5)),
            ("three-replicas", "requests.total"): (15000, 16700),  # 2.4/s over 6600 s
            ("eight-replicas", "replicas.mean"): (8, 8),
        },
    },
    "mm3-benchmark": {
        "exit": 0,
        "slo": {("baseline", None): True},
        "ranges": {
            ("baseline", "wait.mean_ms"): (0.9 * mm1_wait_ms(2.4, 3), 1.1 * mm1_wait_ms(2.4, 3)),
            ("baseline", "requests.completed"): (1.19e6, 1.21e6),
        },
    },
    "multicloud": {
        "exit": 1,
        "slo": {("weighted", "latency.p99_ms"): False, ("cost-optimized", "latency.p99_ms"): False,
                ("latency-optimized", "latency.p99_ms"): False,
                ("weighted-predictive", "latency.p99_ms"): False,
                ("weighted-mesh", None): True,
                ("weighted-mesh-ca", None): True,
                ("weighted-mesh-karpenter", None): True,
                ("latency-optimized", "requests.failed"): True,
                ("weighted", "requests.failed"): True},
        "ranges": {
            ("weighted", "cost.total_usd"): (100, 125),
            ("weighted-mesh", "cost.total_usd"): (100, 125),
            ("weighted-mesh", "latency.p99_ms"): (200, 1600),
            ("weighted", "pods.evicted"): (1, 40),
            # Each origin's share near it: europe's 30 of 90 requests/s, a third of ~21 pods.
            ("latency-optimized", "regions.eu-west.replicas.mean"): (5, 9),
            # Twelve fixed nodes all day against the Cluster Autoscaler's one per region at
            # most times (min 1), a few more around the faults.
            ("weighted-mesh", "cost.compute_usd"): (111, 113),
            ("weighted-mesh-ca", "cost.compute_usd"): (27, 32),
            # cost-optimized pays whole nodes where they follow the pods (pools min 0): two
            # regions instead of three for most of the day, cheaper than weighted.
            ("cost-optimized-mesh-ca", "cost.compute_usd"): (15, 26),
            ("weighted-mesh-ca", "nodes.count.mean"): (3, 4),
            ("weighted", "requests.completed"): (8.4e6, 8.9e6),
        },
        # What the optimised placements' names promise, against the other placements of the
        # same fleet: least mean latency, least cost.
        "lowest": [
            ("latency.mean_ms", "latency-optimized-mesh-ca",
             ["weighted-mesh-ca", "cost-optimized-mesh-ca", "spread-mesh-ca"]),
            ("latency.mean_ms", "latency-optimized", ["weighted"]),
            ("cost.total_usd", "cost-optimized-mesh-ca",
             ["weighted-mesh-ca", "latency-optimized-mesh-ca", "spread-mesh-ca"]),
        ],
    },
    "capacity": {
        "exit": 0,
        "slo": {(None, None): True},
        "ranges": {
            # Twelve m5.2xlarge all day; the Cluster Autoscaler's 7 on average; Karpenter's
            # mix of smaller types (disjoint ranges: Karpenter < CA < fixed).
            ("fixed", "cost.compute_usd"): (111, 113),
            ("cluster-autoscaler", "cost.compute_usd"): (55, 80),
            ("karpenter", "cost.compute_usd"): (40, 54),
            ("cluster-autoscaler", "nodes.count.mean"): (5, 10),
            ("fixed", "nodes.count.mean"): (12, 12),
        },
    },
    "serverless": {
        "exit": 1,
        "slo": {(None, "workloads.hello.latency.p99_ms"): True,
                ("none", "workloads.azure.coldstarts.ratio"): False,
                ("fixed-10m", "workloads.azure.coldstarts.ratio"): True,
                ("hybrid", "workloads.azure.coldstarts.ratio"): True,
                (None, "workloads.hello.requests.failed"): True},
        "ranges": {
            ("none", "workloads.azure.coldstarts.ratio"): (0.6, 0.8),
            ("fixed-10m", "workloads.azure.coldstarts.ratio"): (0.001, 0.002),
            ("hybrid", "workloads.azure.coldstarts.ratio"): (0.0001, 0.0004),
            ("none", "workloads.kubeless.coldstarts.ratio"): (1, 1),
            ("fixed-10m", "workloads.kubeless.coldstarts.ratio"): (1, 1),
            ("hybrid", "workloads.kubeless.coldstarts.ratio"): (0, 0),
            ("none", "workloads.ping-source~event-display.coldstarts.ratio"): (1, 1),
            ("fixed-10m", "workloads.ping-source~event-display.coldstarts.ratio"): (0, 0),
            ("fixed-10m", "workloads.optimized.coldstarts.ratio"): (0, 0),
            ("fixed-10m-no-warmer", "workloads.optimized.coldstarts.ratio"): (1, 1),
            ("fixed-10m", "workloads.hello.requests.retries"): (8000, 9500),
            ("fixed-10m", "workloads.logs.replicas.max"): (12, 13),
        },
    },
    "edge": {
        "exit": 1,
        "slo": {("evict", "workloads.line-1.requests.failed"): False,
                ("tolerate-500", "workloads.line-1.requests.failed"): True,
                ("tolerate-20k", "workloads.line-2.requests.failed"): True,
                ("evict", "workloads.telemetry-1.requests.failed"): False,
                ("tolerate-500", "workloads.telemetry-2.requests.failed"): False,
                ("tolerate-20k", "workloads.telemetry-1.requests.failed"): True,
                # factory-2's 45-minute outage (27,000 requests) overflows even 20,000.
                ("tolerate-20k", "workloads.telemetry-2.requests.failed"): False,
                (None, "workloads.line-1.latency.p99_ms"): True},
        "ranges": {
            # Evicted at 340 s into every outage that long: factory-2's trace has three.
            ("evict", "sites.factory-2.pods.evicted"): (6, 6),
            ("tolerate-500", "pods.evicted"): (0, 0),
            ("tolerate-20k", "pods.evicted"): (0, 0),
            # The trace: 81 minutes down, all after the warm-up, of the 1,410 measured
            # (1 - 81/1410 = 0.94255).
            ("evict", "sites.factory-2.edge.uplink.availability"): (0.9425, 0.9427),
            # 4 h up / 10 min down, plus the 30-minute fault at 12h.
            ("evict", "sites.factory-1.edge.uplink.availability"): (0.9, 0.99),
            # The LTE backup keeps factory-3 connected unless both links are down.
            ("evict", "sites.factory-3.edge.uplink.availability"): (0.98, 1.0),
            ("tolerate-500", "sites.factory-2.requests.dropped"): (40000, 50000),
            ("tolerate-20k", "sites.factory-1.requests.dropped"): (0, 2000),
        },
    },
    "quantum": {
        "exit": 1,
        "slo": {("fifo", "tenants.research.quantum.wait.p95_s"): False,
                ("fair-share", "tenants.research.quantum.wait.p95_s"): False,
                ("shortest-job-first", "tenants.research.quantum.wait.p95_s"): True,
                (None, "tenants.production.quantum.wait.p95_s"): True,
                (None, "quantum.jobs.rejected"): True},
        "ranges": {
            # Only the 127-qubit QPU takes the 50-qubit circuits; the falcon never runs one.
            ("fifo", "qpus.ibm-falcon.quantum.exec.mean_s"): (31.0, 31.1),  # vqe-small only
            ("fifo", "qpus.ibm-quantum-cluster.quantum.utilization"): (0.85, 0.97),
            ("fifo", "quantum.jobs.rejected"): (0, 0),
            # Shortest-job-first puts research's 19 s circuits ahead of production's 31 s.
            ("shortest-job-first", "tenants.research.quantum.wait.mean_s"): (20, 120),
            ("fifo", "tenants.research.quantum.wait.mean_s"): (120, 600),
            # 90 + 4 research circuits an hour of 19 s, 150 production of 31 s, 23 h.
            ("fifo", "quantum.jobs.completed"): (5300, 6100),
        },
    },
    "seed-what-if": {
        "exit": 1,
        "slo": {(None, "workloads.hello.latency.p99_ms"): True,
                ("weighted-mesh", "workloads.americas.latency.p99_ms"): True,
                ("as-written", "workloads.americas.latency.p99_ms"): False,
                ("weighted", "workloads.americas.latency.p99_ms"): False,
                ("latency-optimized", "workloads.americas.latency.p99_ms"): False,
                (None, "workloads.api.latency.p99_ms"): True,
                (None, "workloads.quantum-sim.requests.failed"): True,
                ("latency-optimized", "workloads.europe.requests.failed"): True,
                ("weighted-mesh-ca", "workloads.americas.latency.p99_ms"): True,
                ("weighted", "workloads.europe.requests.failed"): True,
                # The factory's requests need the cloud: they fail while its uplink is down,
                # unless the site buffers them (edgeOutage tolerate).
                ("weighted", "workloads.factory.requests.failed"): False,
                ("weighted-tolerate", "workloads.factory.requests.failed"): True},
        "ranges": {
            ("weighted", "workloads.quantum-sim.requests.completed"): (10, 12),  # one run per 2 h
            # The nodes' ~170 USD and the QPU's: 34 circuits of ~19 s at 1.60 USD/s.
            ("weighted", "cost.total_usd"): (1150, 1300),
            # The same fleet resized by the Cluster Autoscaler: a fifth of the nodes' cost.
            ("weighted-mesh", "cost.compute_usd"): (165, 170),
            ("weighted-mesh-ca", "cost.compute_usd"): (20, 60),
            ("weighted", "quantum.jobs.completed"): (33, 35),  # 11 Job runs + 23 workflows
            # Two ~2-minute pods around the 19 s solve; a run caught by the QPU's noon
            # calibration window waits for it.
            ("weighted", "workloads.hybrid.workflows.makespan_s"): (250, 450),
            # hello (20/s x 50 ms, concurrency 1) never idles: the KPA keeps one pod; the
            # warm-pool's minScale 2 keeps two.
            ("weighted", "workloads.hello.replicas.mean"): (0.99, 1.01),
            ("warm-pool", "workloads.hello.replicas.mean"): (1.99, 2.01),
            ("weighted", "workloads.ping-source~event-display.coldstarts.ratio"): (1, 1),
            ("warm-pool", "workloads.ping-source~event-display.coldstarts.ratio"): (0, 0),
            ("weighted", "workloads.logs.replicas.mean"): (4, 7),
            # 2 warmer replicas, each every 60 s, for the 23 measured hours.
            ("weighted", "workloads.function-warmup~optimized-function.requests.total"): (2750, 2770),
            # 4 h up / 10 min down: 0.96 of the time, less the 10-minute linkOutage fault.
            ("weighted", "sites.factory-1.edge.uplink.availability"): (0.9, 0.99),
            ("weighted", "workloads.factory.edge.requests.offline"): (0, 0),
            ("weighted-tolerate", "workloads.factory.edge.requests.offline"): (3000, 60000),
        },
    },
}


def main():
    kubetwin, root = sys.argv[1], sys.argv[2]
    failures = 0

    def fail(msg):
        nonlocal failures
        failures += 1
        print("FAIL " + msg)

    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(glob.glob(os.path.join(root, "data/scenarios/*.yaml"))):
            name = os.path.basename(path)[:-5]
            if name not in EXPECT:
                fail(f"{name}: no expectation in examples_test.py; say what the example shows")
                continue
            want = EXPECT[name]
            v = subprocess.run([kubetwin, "validate", path], capture_output=True, text=True)
            if v.returncode != 0:
                fail(f"validate {name}: exit {v.returncode}\n{v.stderr}")
                continue
            out = os.path.join(tmp, name)
            r = subprocess.run([kubetwin, "run", path, "--out", out, "--quiet"],
                               capture_output=True, text=True)
            if r.returncode != want["exit"]:
                fail(f"run {name}: exit {r.returncode}, expected {want['exit']}\n{r.stderr}")
                continue
            d = json.load(open(os.path.join(out, "summary.json")))
            for (policy, metric), passes in want["slo"].items():
                entries = [e for e in d["slo"] if (policy is None or e["policy"] == policy)
                           and (metric is None or e["metric"] == metric)]
                if not entries:
                    fail(f"{name}: no SLO entry for {policy} {metric}")
                for e in entries:
                    if e["pass"] != passes:
                        fail(f"{name}: SLO {e['metric']} for {e['policy']} "
                             f"{'fails' if passes else 'passes'} ({e['value']}), the comments "
                             f"say it {'passes' if passes else 'fails'}")
            for (policy, metric), (lo, hi) in want["ranges"].items():
                m = d["policies"].get(policy, {}).get(metric)
                if m is None:
                    fail(f"{name}: {policy} reports no {metric}")
                elif not lo <= m["mean"] <= hi:
                    fail(f"{name}: {policy} {metric} = {m['mean']:.6g}, outside [{lo:.6g}, {hi:.6g}]")
            for metric, best, others in want.get("lowest", []):
                mine = d["policies"][best][metric]["mean"]
                for other in others:
                    theirs = d["policies"][other][metric]["mean"]
                    if not mine < theirs:
                        fail(f"{name}: {best} {metric} = {mine:.6g}, not below {other}'s {theirs:.6g}")
            for a, b in want.get("identical", []):
                if d["policies"][a] != d["policies"][b]:
                    fail(f"{name}: {a} and {b} differ, though what tells them apart is not simulated")
            print(f"ok   {name} (exit {r.returncode}): SLO outcomes and {len(want['ranges'])} ranges as stated")
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
