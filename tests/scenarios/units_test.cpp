// Value syntaxes: Kubernetes quantities, percentages, rates and cron schedules.

#include <gtest/gtest.h>

#include "scenarios/units.hpp"

namespace kt::scenario {
namespace {

TEST(Quantity, CpuAndMemoryInMilliUnits) {
  EXPECT_EQ(parse_quantity("100m").value, 100);
  EXPECT_EQ(parse_quantity("4").value, 4000);
  EXPECT_EQ(parse_quantity("0.5").value, 500);
  EXPECT_EQ(parse_quantity("128Mi").value, 128LL * 1024 * 1024 * 1000);
  EXPECT_EQ(parse_quantity("8Gi").value, 8LL * 1024 * 1024 * 1024 * 1000);
  EXPECT_EQ(parse_quantity("1k").value, 1'000'000);
  EXPECT_EQ(parse_quantity("2e3").value, 2'000'000);
  EXPECT_EQ(parse_quantity("1.5Gi").value, 1536LL * 1024 * 1024 * 1000);
}

TEST(Quantity, RoundsUpToTheNextMilliUnitAsUpstream) {
  EXPECT_EQ(parse_quantity("1u").value, 1);  // 0.001 m rounds up to 1 m
  EXPECT_EQ(parse_quantity("100n").value, 1);
  EXPECT_EQ(parse_quantity("1500u").value, 2);
}

TEST(Quantity, RejectsUnknownUnitsNegativeAndOverflow) {
  EXPECT_NE(parse_quantity("8GB").error.find("unknown unit 'GB'"), std::string::npos);
  EXPECT_NE(parse_quantity("-1").error.find("negative"), std::string::npos);
  EXPECT_NE(parse_quantity("9Ei").error.find("too large"), std::string::npos);
  EXPECT_FALSE(parse_quantity("").ok());
  EXPECT_FALSE(parse_quantity("m").ok());
  EXPECT_FALSE(parse_quantity("1.2.3").ok());
}

TEST(Percentage, ReadsFractionsAndBounds) {
  EXPECT_DOUBLE_EQ(parse_percentage("40%").value, 0.40);
  EXPECT_DOUBLE_EQ(parse_percentage("0%").value, 0.0);
  EXPECT_FALSE(parse_percentage("40").ok());
  EXPECT_FALSE(parse_percentage("140%").ok());
  EXPECT_FALSE(parse_percentage("abc%").ok());
}

TEST(Rate, PerSecondFromAnyTimeUnit) {
  EXPECT_DOUBLE_EQ(parse_rate("50/s").value, 50.0);
  EXPECT_DOUBLE_EQ(parse_rate("2/h").value, 2.0 / 3600.0);
  EXPECT_DOUBLE_EQ(parse_rate("120/1m").value, 2.0);
  EXPECT_DOUBLE_EQ(parse_rate("3/100ms").value, 30.0);
  EXPECT_FALSE(parse_rate("50").ok());
  EXPECT_FALSE(parse_rate("50/fortnight").ok());
  EXPECT_FALSE(parse_rate("0/s").ok());
}

TEST(Cron, EveryFiveMinutesFiresOnTheFiveMinuteMarks) {
  const auto cron = parse_cron("*/5 * * * *");
  ASSERT_TRUE(cron.ok()) << cron.error;
  EXPECT_EQ(k8s::next_firing(cron.value, 0), 5 * kMinute);
  EXPECT_EQ(k8s::next_firing(cron.value, 5 * kMinute), 10 * kMinute);
  EXPECT_EQ(k8s::next_firing(cron.value, 59 * kMinute + 1), kHour);
}

TEST(Cron, RangesListsNamesAndWeekdays) {
  // 09:30 on weekdays. Day 0 of simulated time is a Monday.
  const auto cron = parse_cron("30 9 * * MON-FRI");
  ASSERT_TRUE(cron.ok()) << cron.error;
  EXPECT_EQ(k8s::next_firing(cron.value, 0), 9 * kHour + 30 * kMinute);
  // After Friday 09:30 (day 4) the next firing is Monday (day 7).
  EXPECT_EQ(k8s::next_firing(cron.value, 4 * kDay + 10 * kHour),
            7 * kDay + 9 * kHour + 30 * kMinute);
  const auto list = parse_cron("0,15,45 * * * *");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(k8s::next_firing(list.value, 16 * kMinute), 45 * kMinute);
  const auto hourly = parse_cron("@hourly");
  ASSERT_TRUE(hourly.ok());
  EXPECT_EQ(k8s::next_firing(hourly.value, 1), kHour);
  const auto every = parse_cron("@every 90s");
  ASSERT_TRUE(every.ok());
  EXPECT_EQ(k8s::next_firing(every.value, 100 * kSecond), 180 * kSecond);
}

TEST(Cron, RejectsMalformedSchedules) {
  EXPECT_NE(parse_cron("* * * *").error.find("expected 5 fields"), std::string::npos);
  EXPECT_NE(parse_cron("61 * * * *").error.find("outside 0-59"), std::string::npos);
  EXPECT_NE(parse_cron("*/0 * * * *").error.find("invalid step"), std::string::npos);
  EXPECT_FALSE(parse_cron("* * * FOO *").ok());
  EXPECT_FALSE(parse_cron("@every -5s").ok());
}

}  // namespace
}  // namespace kt::scenario
