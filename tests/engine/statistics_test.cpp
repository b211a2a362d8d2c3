#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/distribution.hpp"
#include "engine/quantile_sketch.hpp"
#include "engine/replication.hpp"
#include "engine/statistics.hpp"

namespace kt {
namespace {

TEST(TimeWeighted, AveragesPiecewiseConstantValues) {
  TimeWeighted q(0, 0);
  q.set(10, 2);   // 0 on [0,10)
  q.set(30, 5);   // 2 on [10,30)
  q.add(40, -5);  // 5 on [30,40), then 0
  EXPECT_DOUBLE_EQ(q.mean(50), (0 * 10 + 2 * 20 + 5 * 10 + 0 * 10) / 50.0);
  EXPECT_DOUBLE_EQ(q.max(), 5);
  q.restart(50);
  q.set(60, 1);
  EXPECT_DOUBLE_EQ(q.mean(70), 0.5);
  EXPECT_DOUBLE_EQ(q.max(), 1);
}

TEST(SampleStats, MatchesTwoPassFormulas) {
  SampleStats s;
  const std::vector<double> xs{3, 1, 4, 1, 5, 9, 2, 6};
  for (double x : xs)
    s.add(x);
  EXPECT_EQ(s.count(), xs.size());
  EXPECT_DOUBLE_EQ(s.mean(), 31.0 / 8);
  double ss = 0;
  for (double x : xs)
    ss += (x - 31.0 / 8) * (x - 31.0 / 8);
  EXPECT_NEAR(s.variance(), ss / 7, 1e-12);
  EXPECT_EQ(s.min(), 1);
  EXPECT_EQ(s.max(), 9);
}

TEST(QuantileSketch, BucketsTileTheIntegers) {
  // Every value falls in the bucket whose [low, low + width) contains it, and buckets are
  // contiguous, so the structure loses nothing but resolution.
  for (std::size_t b = 0; b + 1 < 7424; ++b) {
    ASSERT_EQ(QuantileSketch::bucket_low(b) + QuantileSketch::bucket_width(b),
              QuantileSketch::bucket_low(b + 1))
        << b;
    ASSERT_EQ(QuantileSketch::bucket_of(QuantileSketch::bucket_low(b)), b);
    // Relative width at most 1/128 above the exact range.
    if (b >= 256) {
      ASSERT_LE(static_cast<double>(QuantileSketch::bucket_width(b)) /
                    static_cast<double>(QuantileSketch::bucket_low(b)),
                1.0 / 128);
    }
  }
  EXPECT_EQ(QuantileSketch::bucket_of(~0ull), 7423u);
}

// Against the exact nearest-rank quantile of the same samples: the sketch must be within 1 %
// (its design bound is 0.4 %), on distributions with light and heavy tails.
TEST(QuantileSketch, WithinOnePercentOfExactQuantiles) {
  RandomStream rng(123, 0, 0);
  const std::vector<Distribution> distributions{Distribution::exponential(100e6),    // 100 ms in ns
                                                Distribution::lognormal(50e6, 2.0),  // heavy tail
                                                Distribution::uniform(1e3, 1e9),
                                                Distribution::gamma(5e6, 0.3)};
  for (const Distribution& d : distributions) {
    QuantileSketch sketch;
    std::vector<std::int64_t> values;
    for (int i = 0; i < 200000; ++i) {
      const auto v = static_cast<std::int64_t>(d.sample(rng));
      values.push_back(v);
      sketch.record(v);
    }
    std::sort(values.begin(), values.end());
    for (double q : {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
      const auto rank = static_cast<std::size_t>(std::ceil(q * values.size()));
      const double exact = static_cast<double>(values[std::max<std::size_t>(rank, 1) - 1]);
      EXPECT_NEAR(sketch.quantile(q), exact, 0.01 * exact) << d.describe() << " q=" << q;
    }
  }
}

TEST(QuantileSketch, SmallValuesAreExactAndMergeAddsCounts) {
  QuantileSketch a;
  QuantileSketch b;
  for (int v = 1; v <= 100; ++v)
    (v % 2 ? a : b).record(v);
  a.merge(b);
  EXPECT_EQ(a.count(), 100u);
  EXPECT_EQ(a.quantile(0.5), 50);
  EXPECT_EQ(a.quantile(0.99), 99);
  EXPECT_EQ(a.quantile(1.0), 100);
  EXPECT_EQ(QuantileSketch().quantile(0.5), 0);
  // Memory is bounded whatever is recorded.
  a.record(INT64_MAX);
  EXPECT_LE(a.memory_bytes(), 7424 * sizeof(std::uint64_t));
}

TEST(StudentT, MatchesPublishedCriticalValues) {
  // Two-sided 95 % critical values from standard t tables.
  EXPECT_NEAR(student_t_critical(0.95, 1), 12.706, 5e-4);
  EXPECT_NEAR(student_t_critical(0.95, 2), 4.303, 5e-4);
  EXPECT_NEAR(student_t_critical(0.95, 4), 2.776, 5e-4);
  EXPECT_NEAR(student_t_critical(0.95, 9), 2.262, 5e-4);
  EXPECT_NEAR(student_t_critical(0.95, 30), 2.042, 5e-4);
  EXPECT_NEAR(student_t_critical(0.95, 120), 1.980, 5e-4);
  EXPECT_NEAR(student_t_critical(0.95, 100000), 1.960, 5e-4);
  EXPECT_NEAR(student_t_critical(0.99, 10), 3.169, 5e-4);
}

TEST(Replication, SummaryUsesStudentT) {
  const std::vector<double> xs{10, 12, 11, 13, 9};
  const ReplicationSummary s = summarize(xs);
  EXPECT_EQ(s.n, 5u);
  EXPECT_DOUBLE_EQ(s.mean, 11);
  EXPECT_NEAR(s.stddev, std::sqrt(2.5), 1e-12);
  EXPECT_NEAR(s.ci95, 2.776445 * std::sqrt(2.5) / std::sqrt(5.0), 1e-5);
  EXPECT_EQ(s.min, 9);
  EXPECT_EQ(s.max, 13);
  EXPECT_EQ(summarize(std::vector<double>{4}).ci95, 0);
}

}  // namespace
}  // namespace kt
