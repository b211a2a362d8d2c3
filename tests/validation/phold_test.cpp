// PHOLD on the engine: determinism, and the event count against its expectation.
// Each of the N*E event chains is a renewal process whose increments have mean 1 + P*L (one
// time unit, plus the lookahead on remote hops), so over T time units the expected count is
// N*E*T / (1 + P*L), with variance close to that of a Poisson count of the same mean.

#include <gtest/gtest.h>

#include <cmath>

#include "models/synthetic/phold.hpp"

namespace kt::models {
namespace {

std::uint64_t run(const PholdConfig& config) {
  PholdModel model(config);
  model.schedule_initial_events();
  model.run();
  return model.events_handled();
}

TEST(PholdValidation, SameSeedSameEventCount) {
  PholdConfig config;
  config.lps = 256;
  config.events_per_lp = 8;
  config.end_time = 50;
  const std::uint64_t first = run(config);
  EXPECT_EQ(run(config), first);
  EXPECT_EQ(run(config), first);
  config.seed = 2;
  EXPECT_NE(run(config), first);
}

// The parallel executor handles exactly the sequential run's events: the same count, and every
// LP the same number of them, with 1, 2, 4 and 16 threads, for several lookaheads.
TEST(PholdValidation, ThreadCountChangesNothing) {
  for (double lookahead : {0.1, 1.0, 5.0}) {
    PholdConfig config;
    config.lps = 256;
    config.events_per_lp = 8;
    config.end_time = 60;
    config.lookahead = lookahead;
    const std::uint64_t sequential = run(config);
    for (unsigned threads : {2u, 4u, 16u}) {
      config.threads = threads;
      PholdModel model(config);
      model.schedule_initial_events();
      model.run();
      EXPECT_EQ(model.partitions(), threads);
      EXPECT_EQ(model.events_handled(), sequential) << "L=" << lookahead << " x" << threads;
    }
  }
}

void expect_count_near_theory(double remote, double lookahead) {
  PholdConfig config;
  config.lps = 512;
  config.events_per_lp = 4;
  config.end_time = 100;
  config.remote_probability = remote;
  config.lookahead = lookahead;
  // Tolerance: 4 Poisson standard deviations, plus at most one event per chain for the
  // start-up transient (every chain's first hop is exponential(1) without lookahead).
  const double expected =
      config.lps * config.events_per_lp * config.end_time / (1 + remote * lookahead);
  const double count = static_cast<double>(run(config));
  EXPECT_NEAR(count, expected, 4 * std::sqrt(expected) + config.lps * config.events_per_lp)
      << "P=" << remote << " L=" << lookahead;
}

TEST(PholdValidation, EventCountMatchesRenewalTheory) {
  expect_count_near_theory(0.5, 0);
  expect_count_near_theory(0.9, 1.0);
  expect_count_near_theory(0.1, 5.0);
}

}  // namespace
}  // namespace kt::models
