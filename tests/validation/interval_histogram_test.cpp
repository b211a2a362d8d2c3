// The per-interval latency histogram behind the time series' latency columns.

#include <gtest/gtest.h>

#include "models/common/interval_histogram.hpp"

namespace kt::models {
namespace {

TEST(IntervalHistogram, PercentilesWithinABucketOfTheTruth) {
  IntervalHistogram h;
  for (int ms = 1; ms <= 1000; ++ms)
    h.record(static_cast<std::int64_t>(ms) * 1'000'000);
  // The upper edge of the bucket holding the quantile: at most 2^(1/4) - 1 = 19 % above it.
  EXPECT_GE(h.quantile(0.50), 500e6);
  EXPECT_LE(h.quantile(0.50), 500e6 * 1.19);
  EXPECT_GE(h.quantile(0.99), 990e6);
  EXPECT_LE(h.quantile(0.99), 990e6 * 1.19);
  EXPECT_EQ(h.count(), 1000u);
  h.clear();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.quantile(0.5), 0.0);
}

TEST(IntervalHistogram, ConstantValueLandsInItsBucket) {
  IntervalHistogram h;
  for (int i = 0; i < 100; ++i)
    h.record(100'000'000);  // 100 ms
  EXPECT_GE(h.quantile(0.5), 100e6);
  EXPECT_LE(h.quantile(0.5), 100e6 * 1.19);
  EXPECT_EQ(h.quantile(0.5), h.quantile(0.99));
}

}  // namespace
}  // namespace kt::models
