// runs::histogram_quantile against Prometheus's bucketQuantile (promql/quantile.go) on the
// cases its documentation names.

#include <gtest/gtest.h>

#include <cmath>

#include "runs/backtest.hpp"

namespace kt::runs {
namespace {

TEST(HistogramQuantile, FollowsPrometheus) {
  // Linear within the bucket: 27,892 requests, 24,101 at or below 0.5 s, 26,351 at or below
  // 1 s: p90 ranks 25,102.8, so 0.5 + 0.5 x 1,001.8 / 2,250.
  EXPECT_NEAR(histogram_quantile(0.9, {0.5, 1, 5}, {24101, 26351, 27800, 27892}),
              0.5 + 0.5 * 1001.8 / 2250, 1e-12);
  // The lowest bucket starts at 0.
  EXPECT_NEAR(histogram_quantile(0.5, {0.2, 1}, {100, 100, 100}), 0.1, 1e-12);
  // A rank in the +Inf bucket gives the highest finite bound.
  EXPECT_EQ(histogram_quantile(0.99, {0.5, 1}, {10, 20, 100}), 1);
  // No observations: NaN.
  EXPECT_TRUE(std::isnan(histogram_quantile(0.5, {0.5, 1}, {0, 0, 0})));
}

}  // namespace
}  // namespace kt::runs
