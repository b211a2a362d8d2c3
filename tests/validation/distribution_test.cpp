// Each sampler's sample mean and variance against theory, within 4 standard errors.
// SE of the mean is sigma / sqrt(n); SE of the sample variance is
// sqrt((mu4 - sigma^4) / n), with the fourth central moment mu4 estimated from the sample.

#include <gtest/gtest.h>

#include <cmath>

#include "engine/det_math.hpp"
#include "engine/distribution.hpp"

namespace kt {
namespace {

struct Moments {
  double mean = 0;
  double variance = 0;
  double se_mean = 0;
  double se_variance = 0;
};

Moments sample_moments(const Distribution& d, int n, std::uint64_t seed) {
  RandomStream rng(seed, 0, 0);
  std::vector<double> xs(n);
  double sum = 0;
  for (double& x : xs) {
    x = d.sample(rng);
    sum += x;
  }
  Moments m;
  m.mean = sum / n;
  double m2 = 0;
  double m4 = 0;
  for (double x : xs) {
    const double dx = (x - m.mean) * (x - m.mean);
    m2 += dx;
    m4 += dx * dx;
  }
  m.variance = m2 / (n - 1);
  m4 /= n;
  m.se_mean = std::sqrt(m.variance / n);
  m.se_variance = std::sqrt(std::max(m4 - m.variance * m.variance, 0.0) / n);
  return m;
}

void expect_moments(const Distribution& d, int n = 400000) {
  const Moments m = sample_moments(d, n, 17);
  EXPECT_NEAR(m.mean, d.mean(), 4 * m.se_mean + 1e-12) << d.describe();
  EXPECT_NEAR(m.variance, d.variance(), 4 * m.se_variance + 1e-12) << d.describe();
}

TEST(Distributions, ExponentialMoments) {
  expect_moments(Distribution::exponential(0.1));
}
TEST(Distributions, UniformMoments) {
  expect_moments(Distribution::uniform(-3, 5));
}
TEST(Distributions, NormalMoments) {
  expect_moments(Distribution::normal(10, 2.5));
}
TEST(Distributions, LognormalMoments) {
  expect_moments(Distribution::lognormal(1.2, 0.5));
}
TEST(Distributions, GammaMoments) {
  expect_moments(Distribution::gamma(2.0, 0.5));  // shape 4
  expect_moments(Distribution::gamma(2.0, 2.0));  // shape 0.25: the boosted branch
}
TEST(Distributions, DeterministicIsConstant) {
  RandomStream rng(1, 0, 0);
  const Distribution d = Distribution::deterministic(0.25);
  for (int i = 0; i < 100; ++i)
    ASSERT_EQ(d.sample(rng), 0.25);
  EXPECT_EQ(d.variance(), 0);
}
TEST(Distributions, EmpiricalMoments) {
  expect_moments(Distribution::empirical({1, 2, 10}, {0.5, 0.3, 0.2}));
  expect_moments(Distribution::empirical({5, 1, 3, 2}, {}, /*interpolate=*/true));
}

// A piecewise-linear CDF: gaps of unequal probability, one of them empty. Closed forms: mean
// 0.5 x 0.5 + 0.5 x 6.5 = 3.5; E[X^2] = 0.5 x 1/3 + 0.5 x (9 + 30 + 100)/3 = 70/3.
TEST(Distributions, PiecewiseLinearCdfMoments) {
  const Distribution d = Distribution::piecewise_linear_cdf({0, 1, 3, 10}, {0, 0.5, 0.5, 1});
  EXPECT_DOUBLE_EQ(d.mean(), 3.5);
  EXPECT_NEAR(d.variance(), 70.0 / 3 - 3.5 * 3.5, 1e-12);
  expect_moments(d);
  RandomStream rng(3, 0, 0);
  int in_empty_gap = 0;
  for (int i = 0; i < 100000; ++i) {
    const double x = d.sample(rng);
    in_empty_gap += x > 1 && x < 3;
  }
  EXPECT_EQ(in_empty_gap, 0);
  // Equal gaps: the interpolated empirical distribution through the same points.
  const Distribution equal = Distribution::piecewise_linear_cdf({1, 2, 3, 5}, {0, 1, 2, 3});
  const Distribution interpolated = Distribution::empirical({1, 2, 3, 5}, {}, true);
  EXPECT_DOUBLE_EQ(equal.mean(), interpolated.mean());
  EXPECT_DOUBLE_EQ(equal.variance(), interpolated.variance());
}

TEST(Distributions, EmpiricalDrawsOnlyTheGivenValues) {
  RandomStream rng(2, 0, 0);
  const Distribution d = Distribution::empirical({7, 3}, {1, 3});
  int sevens = 0;
  constexpr int kN = 100000;
  for (int i = 0; i < kN; ++i) {
    const double x = d.sample(rng);
    ASSERT_TRUE(x == 7 || x == 3);
    sevens += x == 7;
  }
  // Binomial(n, 1/4): within 4 standard errors.
  EXPECT_NEAR(sevens, kN / 4.0, 4 * std::sqrt(kN * 0.25 * 0.75));
}

// The ziggurat must reproduce exp(-x) in the body, in its wedges and in the tail beyond the
// base strip (x > 7.697): P(X > x) = e^-x, each checked within 4 binomial standard errors.
TEST(Distributions, ZigguratExponentialTailProbabilities) {
  constexpr int kN = 4'000'000;
  const double thresholds[] = {0.1, 0.5, 1, 2, 4, 7, 7.7, 9};
  int above[8] = {};
  RandomStream rng(31, 0, 0);
  for (int i = 0; i < kN; ++i) {
    const double x = sample_standard_exponential(rng);
    ASSERT_GE(x, 0);
    for (int k = 0; k < 8; ++k)
      above[k] += x > thresholds[k];
  }
  for (int k = 0; k < 8; ++k) {
    const double p = det_exp(-thresholds[k]);
    EXPECT_NEAR(above[k], kN * p, 4 * std::sqrt(kN * p * (1 - p)) + 1) << "x > " << thresholds[k];
  }
}

TEST(Distributions, RejectInvalidParameters) {
  EXPECT_THROW(Distribution::exponential(0), std::invalid_argument);
  EXPECT_THROW(Distribution::exponential(-1), std::invalid_argument);
  EXPECT_THROW(Distribution::uniform(2, 1), std::invalid_argument);
  EXPECT_THROW(Distribution::normal(0, -1), std::invalid_argument);
  EXPECT_THROW(Distribution::lognormal(0, 1), std::invalid_argument);
  EXPECT_THROW(Distribution::gamma(1, 0), std::invalid_argument);
  EXPECT_THROW(Distribution::deterministic(NAN), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({}), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({1, 2}, {1}), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({1, 2}, {0, 0}), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({1, 2}, {1, 2}, true), std::invalid_argument);
  EXPECT_THROW(Distribution::piecewise_linear_cdf({1}, {1}), std::invalid_argument);
  EXPECT_THROW(Distribution::piecewise_linear_cdf({2, 1}, {0, 1}), std::invalid_argument);
  EXPECT_THROW(Distribution::piecewise_linear_cdf({1, 2}, {1, 0.5}), std::invalid_argument);
  EXPECT_THROW(Distribution::piecewise_linear_cdf({1, 2}, {0, 0}), std::invalid_argument);
}

}  // namespace
}  // namespace kt
