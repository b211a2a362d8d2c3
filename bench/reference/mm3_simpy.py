#!/usr/bin/python3
"""The peer for `kubetwin run data/scenarios/mm3-benchmark.yaml`: the same model written in
SimPy (Debian 12's python3-simpy, SimPy 2.3's object-oriented API): three single-server pods,
each request sent to one at random on arrival (kube-proxy) and queued there, with the same
statistics (mean wait and latency; latency percentiles from the sorted sample).

usage: mm3_simpy.py [SIMULATED_SECONDS]   prints requests=... wall_s=... requests_per_sec=...
"""
import random
import sys
import time

from SimPy.Simulation import Process, Resource, Simulation, hold, release, request

ARRIVAL_RATE = 2.4
SERVICE_MEAN = 1.0
SERVERS = 3


class Request(Process):
    def serve(self, pods, stats):
        arrived = self.sim.now()
        pod = random.choice(pods)
        yield request, self, pod
        stats["wait"] += self.sim.now() - arrived
        yield hold, self, random.expovariate(1.0 / SERVICE_MEAN)
        yield release, self, pod
        stats["latencies"].append(self.sim.now() - arrived)


class Source(Process):
    def generate(self, servers, stats):
        while True:
            yield hold, self, random.expovariate(ARRIVAL_RATE)
            r = Request(sim=self.sim)
            self.sim.activate(r, r.serve(servers, stats))


def main():
    duration = float(sys.argv[1]) if len(sys.argv) > 1 else 500000.0
    random.seed(1)
    started = time.perf_counter()
    sim = Simulation()
    sim.initialize()
    servers = [Resource(capacity=1, sim=sim) for _ in range(SERVERS)]
    stats = {"wait": 0.0, "latencies": []}
    source = Source(sim=sim)
    sim.activate(source, source.generate(servers, stats))
    sim.simulate(until=duration)
    lat = sorted(stats["latencies"])
    n = len(lat)
    wall = time.perf_counter() - started
    print(f"wait_mean_ms={stats['wait'] / n * 1000:.1f} latency_p99_ms={lat[int(0.99 * n)] * 1000:.1f}")
    print(f"requests={n} wall_s={wall:.3f} requests_per_sec={n / wall:.0f}")


if __name__ == "__main__":
    main()
