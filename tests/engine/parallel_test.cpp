// The parallel executor: every LP sees the same events in the same order as in the sequential
// run, whatever the thread count; lookahead promises are enforced; groups that may exchange
// immediate events share a partition.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/simulation.hpp"

namespace kt {
namespace {

// A PHOLD-like LP on whole-microsecond delays, so that many events are simultaneous and the
// (time, source, seq) tie-break decides their order. Each LP records what it handled.
class Hopper final : public LogicalProcess {
 public:
  struct Seen {
    SimTime time;
    LpId source;
    std::uint32_t seq;
    std::uint64_t payload;
    bool operator==(const Seen&) const = default;
  };
  Hopper(std::uint32_t lps, std::uint32_t group_size, SimTime lookahead)
      : lps_(lps), group_size_(group_size), lookahead_(lookahead) {}
  void handle(const Event& ev, Context& ctx) override {
    seen.push_back({ctx.now(), ev.source, ev.seq, ev.payload});
    const auto target = static_cast<LpId>(ctx.rng().next_below(lps_));
    SimTime delay = static_cast<SimTime>(ctx.rng().next_below(3)) * kMicrosecond;
    if (target / group_size_ != ctx.self() / group_size_) delay += lookahead_;
    ctx.schedule_in(target, delay, 1, ev.payload + 1);
  }
  std::vector<Seen> seen;

 private:
  std::uint32_t lps_;
  std::uint32_t group_size_;
  SimTime lookahead_;
};

struct Outcome {
  std::vector<std::vector<Hopper::Seen>> seen;  // per LP
  std::uint64_t events = 0;
  std::size_t pending = 0;
  std::size_t partitions = 0;
};

// `threads` for the whole run, or, when `threads_per_slice` is given, a new thread count for
// each slice (the partitions are replanned and the LPs' random streams and sequence counters
// moved mid-run).
Outcome run_hoppers(unsigned threads, std::uint32_t lps, std::uint32_t group_size,
                    SimTime lookahead, SimTime end, int slices = 1,
                    const std::vector<unsigned>& threads_per_slice = {}) {
  Simulation sim(7, 0);
  std::vector<Hopper> hoppers(lps, Hopper(lps, group_size, lookahead));
  for (std::uint32_t i = 0; i < lps; ++i)
    sim.add(hoppers[i], i / group_size);
  sim.set_lookahead(lookahead);
  sim.set_threads(threads);
  for (std::uint32_t i = 0; i < lps; ++i) {
    for (std::uint32_t e = 0; e < 4; ++e)
      sim.schedule(i, static_cast<SimTime>(e) * kMicrosecond, 1, 0);
  }
  for (int s = 1; s <= slices; ++s) {
    if (!threads_per_slice.empty()) sim.set_threads(threads_per_slice[s - 1]);
    sim.run_until(end * s / slices);
  }
  Outcome out;
  for (const Hopper& h : hoppers)
    out.seen.push_back(h.seen);
  out.events = sim.events_handled();
  out.pending = sim.pending();
  out.partitions = sim.partition_count();
  return out;
}

TEST(ParallelExecutor, EveryLpSeesTheSequentialEventsInTheSameOrder) {
  const SimTime lookahead = 5 * kMicrosecond;
  const Outcome sequential = run_hoppers(1, 64, 8, lookahead, 2 * kMillisecond);
  EXPECT_EQ(sequential.partitions, 1u);
  EXPECT_GT(sequential.events, 50'000u);
  for (unsigned threads : {2u, 3u, 4u, 8u}) {
    const Outcome parallel = run_hoppers(threads, 64, 8, lookahead, 2 * kMillisecond);
    EXPECT_EQ(parallel.partitions, threads) << threads;
    EXPECT_EQ(parallel.events, sequential.events) << threads;
    EXPECT_EQ(parallel.pending, sequential.pending) << threads;
    EXPECT_TRUE(parallel.seen == sequential.seen) << threads << " threads";
  }
}

TEST(ParallelExecutor, RunningInSlicesChangesNothing) {
  const SimTime lookahead = 3 * kMicrosecond;
  const Outcome whole = run_hoppers(1, 32, 4, lookahead, kMillisecond);
  const Outcome sliced = run_hoppers(4, 32, 4, lookahead, kMillisecond, 7);
  EXPECT_EQ(sliced.events, whole.events);
  EXPECT_TRUE(sliced.seen == whole.seen);
}

TEST(ParallelExecutor, ChangingTheThreadsBetweenSlicesChangesNothing) {
  const SimTime lookahead = 3 * kMicrosecond;
  const Outcome whole = run_hoppers(1, 40, 4, lookahead, kMillisecond);
  const Outcome mixed = run_hoppers(1, 40, 4, lookahead, kMillisecond, 6, {3, 1, 4, 2, 7, 1});
  EXPECT_EQ(mixed.events, whole.events);
  EXPECT_EQ(mixed.pending, whole.pending);
  EXPECT_TRUE(mixed.seen == whole.seen);
}

// Many partitions, a lookahead of one nanosecond: millions of tiny windows must still end, with
// the sequential result.
TEST(ParallelExecutor, TinyLookaheadManyPartitionsTerminatesWithTheSameResult) {
  const Outcome sequential = run_hoppers(1, 64, 1, 1, 20 * kMicrosecond);
  const Outcome parallel = run_hoppers(16, 64, 1, 1, 20 * kMicrosecond);
  EXPECT_EQ(parallel.partitions, 16u);
  EXPECT_GT(sequential.events, 3'000u);
  EXPECT_EQ(parallel.events, sequential.events);
  EXPECT_TRUE(parallel.seen == sequential.seen);
}

// Sends one event to `peer` `delay` after each event it gets.
class Sender final : public LogicalProcess {
 public:
  void handle(const Event&, Context& ctx) override {
    if (peer != kNoLp) ctx.schedule_in(peer, delay, 1);
  }
  LpId peer = kNoLp;
  SimTime delay = 0;
};

std::string lookahead_error(unsigned threads, SimTime lookahead, SimTime delay) {
  Simulation sim(1, 0);
  Sender a;
  Sender b;
  const LpId ia = sim.add(a, 0);
  const LpId ib = sim.add(b, 1);
  a.peer = ib;
  a.delay = delay;
  sim.set_lookahead(0, 1, lookahead);
  sim.set_lookahead(1, 0, Simulation::kNever);
  sim.set_threads(threads);
  sim.schedule(ia, 2 * kSecond, 1);
  try {
    sim.run_until(kHour);
  } catch (const LookaheadError& e) {
    return e.what();
  }
  return "";
}

TEST(ParallelExecutor, AnEventCloserThanTheLookaheadIsAnErrorWhateverTheThreads) {
  for (unsigned threads : {1u, 2u}) {
    EXPECT_EQ(lookahead_error(threads, kSecond, 500 * kMillisecond),
              "LP 0 (group 0) scheduled an event for LP 1 (group 1) at 2.5s, sent at 2s: "
              "500ms ahead, less than the lookahead of 1s declared between the groups")
        << threads;
    EXPECT_EQ(lookahead_error(threads, kSecond, kSecond), "") << threads;
  }
}

TEST(ParallelExecutor, SendingWhereTheModelDeclaredNeverIsAnError) {
  Simulation sim(1, 0);
  Sender a;
  Sender b;
  const LpId ia = sim.add(a, 0);
  const LpId ib = sim.add(b, 1);
  b.peer = ia;
  b.delay = kHour;
  sim.set_lookahead(0, 1, kSecond);
  sim.set_lookahead(1, 0, Simulation::kNever);
  sim.set_threads(2);
  sim.schedule(ib, 0, 1);
  EXPECT_THROW(
      {
        try {
          sim.run_until(kDay);
        } catch (const LookaheadError& e) {
          EXPECT_NE(std::string(e.what()).find("declared that the first group never sends"),
                    std::string::npos)
              << e.what();
          throw;
        }
      },
      LookaheadError);
}

TEST(ParallelExecutor, GroupsWithoutLookaheadShareAPartition) {
  Sender lps[6];
  {
    Simulation sim(1, 0);  // no lookahead declared: immediate events anywhere, one partition
    for (GroupId g = 0; g < 6; ++g)
      sim.add(lps[g], g);
    sim.set_threads(4);
    sim.run_until(kSecond);
    EXPECT_EQ(sim.partition_count(), 1u);
  }
  {
    Simulation sim(1, 0);  // everywhere 1 s, except 0 <-> 1 and 4 -> 5 immediate
    for (GroupId g = 0; g < 6; ++g)
      sim.add(lps[g], g);
    sim.set_lookahead(kSecond);
    sim.set_lookahead(0, 1, 0);
    sim.set_lookahead(4, 5, 0);
    sim.set_threads(8);
    sim.run_until(kSecond);
    EXPECT_EQ(sim.partition_count(), 4u);  // {0,1} {2} {3} {4,5}
  }
  {
    Simulation sim(1, 0);  // default immediate, but 0 and 1 a second apart both ways
    sim.add(lps[0], 0);
    sim.add(lps[1], 1);
    sim.add(lps[2], 2);
    sim.set_lookahead(0, 1, kSecond);
    sim.set_lookahead(1, 0, kSecond);
    sim.set_threads(8);
    sim.run_until(kSecond);
    EXPECT_EQ(sim.partition_count(), 1u);  // group 2 may reach both at once
  }
}

// Throws on its second event.
class Thrower final : public LogicalProcess {
 public:
  void handle(const Event&, Context& ctx) override {
    if (++count == 2) throw std::runtime_error("model failure");
    ctx.schedule_in(ctx.self(), kSecond, 1);
  }
  int count = 0;
};

TEST(ParallelExecutor, AModelExceptionReachesTheCaller) {
  Simulation sim(1, 0);
  Sender quiet;
  Thrower thrower;
  sim.add(quiet, 0);
  const LpId it = sim.add(thrower, 1);
  sim.set_lookahead(kSecond);
  sim.set_threads(2);
  sim.schedule(it, 0, 1);
  EXPECT_THROW(sim.run_until(kHour), std::runtime_error);
}

class Stopper final : public LogicalProcess {
 public:
  void handle(const Event&, Context& ctx) override {
    ++count;
    if (ctx.now() >= 10 * kSecond) ctx.stop();
    ctx.schedule_in(ctx.self(), kSecond, 1);
  }
  int count = 0;
};

TEST(ParallelExecutor, StopEndsTheRun) {
  Simulation sim(1, 0);
  Stopper a;
  Stopper b;
  sim.add(a, 0);
  sim.add(b, 1);
  sim.set_lookahead(kMinute);
  sim.set_threads(2);
  sim.schedule(0, 0, 1);
  sim.schedule(1, 0, 1);
  const RunStats stats = sim.run_until(kHour);
  EXPECT_TRUE(stats.stopped);
  EXPECT_EQ(stats.end_time, 10 * kSecond);
  EXPECT_EQ(a.count, 11);  // each partition stops after its own event at 10 s
  EXPECT_EQ(b.count, 11);
}

}  // namespace
}  // namespace kt
