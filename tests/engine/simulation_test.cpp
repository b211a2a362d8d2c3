#include <gtest/gtest.h>

#include <vector>

#include "engine/simulation.hpp"

namespace kt {
namespace {

// Records what it receives; on kind 1 it forwards to `peer` after `delay`.
class Recorder final : public LogicalProcess {
 public:
  struct Seen {
    SimTime time;
    LpId source;
    EventKind kind;
    std::uint64_t payload;
  };
  void handle(const Event& ev, Context& ctx) override {
    seen.push_back({ctx.now(), ev.source, ev.kind, ev.payload});
    if (ev.kind == 1 && peer != kNoLp) ctx.schedule_in(peer, delay, 2, ev.payload + 1);
    if (ev.kind == 3) ctx.schedule(peer, ctx.now() - 1, 2);  // into the past
    if (ev.kind == 4) ctx.stop();
  }
  std::vector<Seen> seen;
  LpId peer = kNoLp;
  SimTime delay = 0;
};

TEST(Simulation, DeliversEventsBetweenLpsThroughTheEngine) {
  Simulation sim(1, 0);
  Recorder a;
  Recorder b;
  const LpId ia = sim.add(a);
  const LpId ib = sim.add(b);
  a.peer = ib;
  a.delay = 5 * kSecond;
  sim.schedule(ia, kSecond, 1, 41);
  const RunStats stats = sim.run_until(kHour);
  EXPECT_EQ(stats.events_handled, 2u);
  ASSERT_EQ(b.seen.size(), 1u);
  EXPECT_EQ(b.seen[0].time, 6 * kSecond);
  EXPECT_EQ(b.seen[0].source, ia);
  EXPECT_EQ(b.seen[0].payload, 42u);
  EXPECT_EQ(sim.now(), kHour);
}

TEST(Simulation, SimultaneousEventsFollowSourceThenSequence) {
  Simulation sim(1, 0);
  Recorder sink;
  Recorder s1;
  Recorder s2;
  const LpId isink = sim.add(sink);
  const LpId i1 = sim.add(s1);
  const LpId i2 = sim.add(s2);
  s1.peer = s2.peer = isink;
  // Both senders fire at t=1 and deliver at t=2; LP 2 is scheduled first but LP 1 has the
  // smaller id, so its events come first, each source's in the order it sent them.
  sim.schedule(i2, kSecond, 1, 100);
  sim.schedule(i2, kSecond, 1, 200);
  sim.schedule(i1, kSecond, 1, 300);
  s1.delay = s2.delay = kSecond;
  sim.run_until(kTimeMax - 1);
  ASSERT_EQ(sink.seen.size(), 3u);
  EXPECT_EQ(sink.seen[0].payload, 301u);
  EXPECT_EQ(sink.seen[1].payload, 101u);
  EXPECT_EQ(sink.seen[2].payload, 201u);
}

TEST(Simulation, RunUntilStopsBeforeTheEndAndResumes) {
  Simulation sim(1, 0);
  Recorder r;
  const LpId id = sim.add(r);
  sim.schedule(id, 10, 0);
  sim.schedule(id, 20, 0);
  EXPECT_EQ(sim.run_until(20).events_handled, 1u);
  EXPECT_EQ(sim.pending(), 1u);
  EXPECT_EQ(sim.now(), 20);
  EXPECT_EQ(sim.run_until(21).events_handled, 1u);
}

TEST(Simulation, SchedulingIntoThePastIsACausalityError) {
  Simulation sim(1, 0);
  Recorder r;
  const LpId id = sim.add(r);
  r.peer = id;
  sim.schedule(id, kSecond, 3);
  try {
    sim.run_until(kHour);
    FAIL() << "expected a CausalityError";
  } catch (const CausalityError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("LP 0"), std::string::npos) << what;
    EXPECT_NE(what.find("999.999999ms"), std::string::npos) << what;
    EXPECT_NE(what.find("before its current time 1s"), std::string::npos) << what;
  }
  EXPECT_THROW(sim.schedule(id, kTimeMax, 0), CausalityError);
}

TEST(Simulation, UnknownTargetsAreRejected) {
  Simulation sim(1, 0);
  Recorder r;
  const LpId id = sim.add(r);
  EXPECT_THROW(sim.schedule(id + 1, 0, 0), std::out_of_range);
  r.peer = 99;
  sim.schedule(id, 0, 1);
  EXPECT_THROW(sim.run_until(kSecond), std::out_of_range);
}

TEST(Simulation, StopEndsTheRunAfterTheCurrentEvent) {
  Simulation sim(1, 0);
  Recorder r;
  const LpId id = sim.add(r);
  sim.schedule(id, 1, 4);
  sim.schedule(id, 2, 0);
  const RunStats stats = sim.run_until(kSecond);
  EXPECT_TRUE(stats.stopped);
  EXPECT_EQ(stats.events_handled, 1u);
  EXPECT_EQ(sim.now(), 1);
}

TEST(Simulation, EachLpHasItsOwnReproducibleStream) {
  Simulation a(5, 2);
  Simulation b(5, 2);
  Recorder r1, r2, r3, r4;
  a.add(r1);
  a.add(r2);
  b.add(r3);
  b.add(r4);
  // LP 1's stream is derived from (seed 5, replication 2, LP 1), whatever else exists.
  RandomStream expected(5, 2, 1);
  const std::uint64_t first = a.rng(1).next_u64();
  EXPECT_EQ(first, expected.next_u64());
  EXPECT_EQ(b.rng(1).next_u64(), first);
  EXPECT_NE(a.rng(0).next_u64(), RandomStream(5, 2, 1).next_u64());
}

}  // namespace
}  // namespace kt
