// ArrivalSource sends each arrival `lead` ahead of its time: the arrivals themselves (their
// times, their order) must not depend on the lead or on the thread count.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/simulation.hpp"
#include "models/workload/arrival_source.hpp"

namespace kt::models {
namespace {

class Sink final : public LogicalProcess {
 public:
  void handle(const Event& ev, Context& ctx) override {
    times.push_back(ctx.now());
    tags.push_back(ev.aux);
  }
  std::vector<SimTime> times;
  std::vector<std::uint16_t> tags;
};

Sink run(SimTime lead, unsigned threads) {
  ArrivalConfig poisson;
  poisson.rate_per_s = 50;
  ArrivalConfig constant;
  constant.process = ArrivalConfig::Process::constant;
  constant.interval = 250 * kMillisecond;
  Sink sink;
  Simulation sim(3, 0);
  const LpId sink_id = sim.add(sink, 0);
  const SimTime end = 600 * kSecond;
  ArrivalSource a(poisson, sink_id, 1, 0, end, lead);
  ArrivalSource b(constant, sink_id, 1, 1, end, lead);
  a.start(sim, sim.add(a, 1));
  b.start(sim, sim.add(b, 1));
  sim.set_lookahead(1, 0, lead);
  sim.set_lookahead(0, 1, Simulation::kNever);
  sim.set_threads(threads);
  sim.run_until(end);
  return sink;
}

TEST(ArrivalSource, ArrivalsDoNotDependOnTheLeadOrTheThreads) {
  const Sink reference = run(10 * kSecond, 1);
  // 600 s at 4/s from the constant source, plus Poisson(30,000) from the other.
  EXPECT_EQ(std::count(reference.tags.begin(), reference.tags.end(), 1), 2399);
  EXPECT_NEAR(static_cast<double>(reference.times.size() - 2399), 30000, 4 * std::sqrt(30000.0));
  EXPECT_TRUE(std::is_sorted(reference.times.begin(), reference.times.end()));
  for (SimTime lead : {kSecond, 10 * kSecond, 7 * kMinute}) {
    for (unsigned threads : {1u, 2u}) {
      const Sink other = run(lead, threads);
      EXPECT_EQ(other.times, reference.times) << lead << " " << threads;
      EXPECT_EQ(other.tags, reference.tags) << lead << " " << threads;
    }
  }
}

TEST(ArrivalSource, LeadGivesAboutTwoThousandArrivalsPerWindow) {
  EXPECT_EQ(ArrivalSource::lead_for_rate(2.4), 833 * kSecond);
  EXPECT_EQ(ArrivalSource::lead_for_rate(1000), 10 * kSecond);  // at least 10 s
  EXPECT_EQ(ArrivalSource::lead_for_rate(0.01), kHour);         // at most an hour
  EXPECT_EQ(ArrivalSource::lead_for_rate(0), kHour);
}

}  // namespace
}  // namespace kt::models
