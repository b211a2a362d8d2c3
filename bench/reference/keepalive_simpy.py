#!/usr/bin/python3
"""The peer for bench/compare_keepalive.sh: the keep-alive model kubetwin's on-demand
platform runs (models/serverless), written in SimPy 2 (Debian 12's python3-simpy), on the same
Azure-format trace. Per function: each minute's invocations at independent uniform times in
the minute; an invocation that finds the function loaded (an instance up, or kept alive since
its last execution ended) is warm, else it waits for the instance to start (lognormal, mean
1.2 s, cv 0.5; one start at a time) and is cold; service times from the durations file's
percentiles (the piecewise-linear quantile function, as kubetwin reads them); after the last
execution ends the instance stays loaded for the keep-alive (10 min), then it is unloaded.

usage: keepalive_simpy.py TRACE_DIR [KEEP_ALIVE_S=600]
prints invocations=... cold=... wall_s=... invocations_per_sec=...
"""
import bisect
import csv
import math
import random
import sys
import time

from SimPy.Simulation import Process, Simulation, SimEvent, hold, waitevent

START_MEAN, START_CV = 1.2, 0.5


def lognormal(rng, mean, cv):
    s2 = math.log(1 + cv * cv)
    return rng.lognormvariate(math.log(mean) - s2 / 2, math.sqrt(s2))


class Function:
    def __init__(self, sim, keep_alive, quantiles):
        self.sim, self.keep_alive, self.q = sim, keep_alive, quantiles
        self.busy = 0
        self.loaded_until = -1.0
        self.starting = None  # the SimEvent a start signals, while one is under way
        self.up = False

    def duration(self, rng):
        u = rng.random() * 100
        at = [0, 1, 25, 50, 75, 99, 100]
        k = min(bisect.bisect_right(at, u) - 1, 5)
        f = (u - at[k]) / (at[k + 1] - at[k])
        return (self.q[k] + f * (self.q[k + 1] - self.q[k])) / 1000.0


class Starter(Process):
    def run(self, fn, rng):
        yield hold, self, lognormal(rng, START_MEAN, START_CV)
        fn.up = True
        ev, fn.starting = fn.starting, None
        ev.signal()


class Invocation(Process):
    def run(self, fn, rng, stats):
        now = self.sim.now()
        if not fn.up and fn.loaded_until >= now and fn.loaded_until > 0:
            fn.up = True
        if not fn.up:
            stats["cold"] += 1
            if fn.starting is None:
                fn.starting = SimEvent(sim=self.sim)
                s = Starter(sim=self.sim)
                self.sim.activate(s, s.run(fn, rng))
            yield waitevent, self, fn.starting
        fn.busy += 1
        yield hold, self, fn.duration(rng)
        fn.busy -= 1
        stats["done"] += 1
        if fn.busy == 0:
            fn.loaded_until = self.sim.now() + fn.keep_alive
            u = Unloader(sim=self.sim)
            self.sim.activate(u, u.run(fn, fn.loaded_until))


class Unloader(Process):
    def run(self, fn, until):
        yield hold, self, until - self.sim.now()
        if fn.busy == 0 and fn.loaded_until == until:
            fn.up = False


class Source(Process):
    def run(self, fn, per_minute, rng, stats):
        for minute, n in enumerate(per_minute):
            times = sorted(minute * 60.0 + rng.random() * 60.0 for _ in range(n))
            for t in times:
                yield hold, self, t - self.sim.now()
                inv = Invocation(sim=self.sim)
                self.sim.activate(inv, inv.run(fn, rng, stats))
            yield hold, self, (minute + 1) * 60.0 - self.sim.now()


def main():
    folder = sys.argv[1]
    keep_alive = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    rows = list(csv.reader(open(f"{folder}/invocations_per_function_md.anon.d01.csv")))[1:]
    durations = {r[2]: [float(x) for x in r[7:]] for r in
                 list(csv.reader(open(f"{folder}/function_durations_percentiles.anon.d01.csv")))[1:]}
    rng = random.Random(1)
    stats = {"cold": 0, "done": 0}
    start = time.perf_counter()
    sim = Simulation()
    sim.initialize()
    for r in rows:
        fn = Function(sim, keep_alive, durations[r[2]])
        src = Source(sim=sim)
        sim.activate(src, src.run(fn, [int(x) for x in r[4:]], rng, stats))
    sim.simulate(until=86400.0 + 3600.0)
    wall = time.perf_counter() - start
    n = sum(int(x) for r in rows for x in r[4:])
    print(f"invocations={n} cold={stats['cold']} wall_s={wall:.3f} invocations_per_sec={n / wall:.0f}")


if __name__ == "__main__":
    main()
