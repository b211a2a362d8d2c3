// Exogenous sources: their events arrive at their times, in the same order on one thread as
// on two (the source runs beside its target), and an on/off process is down for the fraction
// of time renewal theory gives, mean_down / (mean_up + mean_down).

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "engine/replication.hpp"
#include "engine/simulation.hpp"
#include "models/workload/exogenous_source.hpp"

namespace kt::models {
namespace {

constexpr EventKind kDown = 7;
constexpr EventKind kUp = 8;
constexpr EventKind kTick = 9;

// Records what it receives.
class Recorder final : public LogicalProcess {
 public:
  void handle(const Event& ev, Context&) override { log.push_back({ev.time, ev.kind}); }
  std::vector<std::pair<SimTime, EventKind>> log;
};

std::vector<std::pair<SimTime, EventKind>> run(std::unique_ptr<ExogenousProcess> process,
                                               SimTime end, SimTime lead, unsigned threads) {
  Simulation sim(3, 0);
  Recorder recorder;
  const LpId target = sim.add(recorder, 0);
  ExogenousSource source(std::move(process), target, end, lead);
  source.start(sim, sim.add(source, 1));
  sim.set_lookahead(1, 0, lead);
  sim.set_lookahead(0, 1, Simulation::kNever);
  sim.set_threads(threads);
  sim.run_until(end);
  return recorder.log;
}

TEST(ExogenousSource, PeriodicEventsArriveAtTheirTimes) {
  const auto log = run(std::make_unique<PeriodicProcess>(5 * kMinute, 5 * kMinute, kTick), kHour,
                       10 * kMinute, 1);
  ASSERT_EQ(log.size(), 11u);  // 5, 10, ..., 55 min
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].first, static_cast<SimTime>(i + 1) * 5 * kMinute);
    EXPECT_EQ(log[i].second, kTick);
  }
}

TEST(ExogenousSource, TheSameEventsOnOneThreadAndOnTwo) {
  const auto make = [] {
    return std::make_unique<OnOffProcess>(4 * kHour, 10 * kMinute, kDown, kUp);
  };
  const auto one = run(make(), 200 * kDay, kHour, 1);
  const auto two = run(make(), 200 * kDay, kHour, 2);
  ASSERT_GT(one.size(), 1000u);
  EXPECT_EQ(one, two);
}

TEST(ExogenousSource, OnOffIsDownForItsRenewalFraction) {
  // 2,000 days, about 11,500 outages; the fraction down in 20 batches of 100 days each gives
  // the standard error.
  const SimTime end = 2000 * kDay;
  const auto log =
      run(std::make_unique<OnOffProcess>(4 * kHour, 10 * kMinute, kDown, kUp), end, kHour, 1);
  std::vector<double> batch_down(20, 0);
  const SimTime batch = end / 20;
  SimTime down_since = -1;
  const auto add = [&](SimTime from, SimTime to) {
    for (SimTime t = from; t < to;) {
      const SimTime b = t / batch;
      const SimTime stop = std::min(to, (b + 1) * batch);
      batch_down[static_cast<std::size_t>(b)] += static_cast<double>(stop - t);
      t = stop;
    }
  };
  for (const auto& [at, kind] : log) {
    if (kind == kDown) {
      ASSERT_LT(down_since, 0) << "two downs in a row";
      down_since = at;
    } else {
      ASSERT_GE(down_since, 0) << "up without a down";
      add(down_since, at);
      down_since = -1;
    }
  }
  if (down_since >= 0) add(down_since, end);
  for (double& d : batch_down)
    d /= static_cast<double>(batch);
  const ReplicationSummary s = summarize(batch_down);
  const double expected = 10.0 / (240.0 + 10.0);  // 0.04
  const double se = s.stddev / std::sqrt(20.0);
  EXPECT_NEAR(s.mean, expected, 3 * se);
  EXPECT_LT(se, 0.05 * expected);
}

}  // namespace
}  // namespace kt::models
