// Trace replay at minute resolution (the Azure Functions 2019 traces): each minute's count of
// invocations arrives within that minute, at independent uniform times (a Poisson process
// given its count), and the day repeats.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "models/workload/arrival_process.hpp"

namespace kt::models {
namespace {

TEST(PerMinuteArrivals, EachMinuteGetsItsCountAtUniformTimes) {
  std::vector<std::uint32_t> counts(1440, 0);
  for (std::size_t m = 0; m < counts.size(); ++m)
    counts[m] = static_cast<std::uint32_t>(m % 7 == 0 ? 0 : (m % 50) + 1);
  ArrivalConfig c;
  c.process = ArrivalConfig::Process::per_minute;
  c.per_minute = &counts;
  ArrivalProcess p(c);
  RandomStream rng(11, 0, 0);
  std::vector<std::uint32_t> seen(2 * 1440, 0);
  double offset_sum = 0;
  double n = 0;
  SimTime t = 0;
  for (;;) {
    t = p.next(t, rng);
    if (t >= 2 * kDay) break;
    ++seen[static_cast<std::size_t>(t / kMinute)];
    offset_sum += to_seconds(t % kMinute);
    ++n;
  }
  for (std::size_t m = 0; m < seen.size(); ++m)
    ASSERT_EQ(seen[m], counts[m % 1440]) << "minute " << m << " (the second day repeats)";
  // Uniform within the minute: mean offset 30 s, standard error 60 / sqrt(12 n).
  EXPECT_NEAR(offset_sum / n, 30.0, 3 * 60.0 / std::sqrt(12.0 * n));
  EXPECT_NEAR(mean_arrival_rate(c, kDay), n / 2 / 86400.0, 1e-9);
}

TEST(PerMinuteArrivals, AnEmptyDayHasNoArrivals) {
  const std::vector<std::uint32_t> counts(1440, 0);
  ArrivalConfig c;
  c.process = ArrivalConfig::Process::per_minute;
  c.per_minute = &counts;
  ArrivalProcess p(c);
  RandomStream rng(1, 0, 0);
  EXPECT_EQ(p.next(0, rng), kTimeMax);
}

}  // namespace
}  // namespace kt::models

namespace kt::models {
namespace {

// Cron arrivals (a PingSource's or CronJob's schedule): one at each firing, from time 0
// (midnight at the start of a Monday).
TEST(CronArrivals, FireAtEachScheduledMinute) {
  ArrivalConfig c;
  c.process = ArrivalConfig::Process::cron;
  // "*/5 * * * *": minutes 0, 5, ..., 55 of every hour.
  for (int m = 0; m < 60; m += 5)
    c.cron.minutes.set(static_cast<std::size_t>(m));
  c.cron.hours.set();
  c.cron.days_of_month.set();
  c.cron.months.set();
  c.cron.days_of_week.set();
  ArrivalProcess p(c);
  RandomStream rng(1, 0, 0);
  SimTime t = 0;
  std::vector<SimTime> seen;
  for (int i = 0; i < 13; ++i) {
    t = p.next(t, rng);
    seen.push_back(t);
  }
  for (int i = 0; i < 13; ++i)
    EXPECT_EQ(seen[static_cast<std::size_t>(i)], i * 5 * kMinute) << i;
  EXPECT_NEAR(mean_arrival_rate(c, kDay), 1.0 / 300.0, 1e-12);
}

}  // namespace
}  // namespace kt::models
