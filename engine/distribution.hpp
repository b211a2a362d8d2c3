#pragma once
// Probability distributions sampled from a RandomStream with the engine's own algorithms and
// det_log / det_exp, never std:: distributions, so a seed gives the same numbers on every
// platform. A Distribution is a small value (kind + parameters); models receive them already
// validated from the scenario layer.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/random.hpp"

namespace kt {

enum class DistributionKind : std::uint8_t {
  kDeterministic,
  kExponential,
  kUniform,
  kNormal,
  kLognormal,
  kGamma,
  kEmpirical,
};

class Distribution {
 public:
  // All factories throw std::invalid_argument for parameters outside their domain.
  static Distribution deterministic(double value);
  static Distribution exponential(double mean);  // mean > 0
  static Distribution uniform(double low, double high);
  static Distribution normal(double mean, double stddev);
  static Distribution lognormal(double mean, double cv);  // of the variate itself; cv > 0
  static Distribution gamma(double mean, double cv);      // shape 1/cv^2, scale mean*cv^2
  // Draws one of `values` with probability proportional to `weights` (all equal when empty),
  // or, with `interpolate`, a point of the piecewise-linear quantile function through the
  // sorted values (each gap between neighbours equally likely).
  static Distribution empirical(std::vector<double> values, std::vector<double> weights = {},
                                bool interpolate = false);
  // The distribution whose CDF is piecewise linear through (xs[i], cdf[i]): xs ascending, cdf
  // non-decreasing and positive at the end (divided by its last value); each gap between
  // neighbouring xs holds cdf[i + 1] - cdf[i] of the probability, spread uniformly. An
  // interpolated empirical whose gaps need not be equally likely (a mixture of several).
  static Distribution piecewise_linear_cdf(std::vector<double> xs, std::vector<double> cdf);

  Distribution() : Distribution(deterministic(0)) {}

  double sample(RandomStream& rng) const;
  DistributionKind kind() const { return kind_; }
  double mean() const;      // the theoretical mean
  double variance() const;  // the theoretical variance
  std::string describe() const;

 private:
  struct Table {
    std::vector<double> values;      // sorted ascending
    std::vector<double> cumulative;  // running sum of weights; with gap_weighted the CDF there
    bool interpolate = false;
    bool gap_weighted = false;  // interpolate with gaps of unequal probability
  };
  Distribution(DistributionKind kind, double a, double b) : kind_(kind), a_(a), b_(b) {}

  DistributionKind kind_;
  double a_;                            // first parameter (value, mean, low, mu, shape, ...)
  double b_;                            // second parameter (stddev, high, sigma, scale, ...)
  std::shared_ptr<const Table> table_;  // empirical only
};

// Exponential(1) by the ziggurat method (Marsaglia & Tsang, "The Ziggurat Method for
// Generating Random Variables", J. Stat. Software 5(8), 2000): 256 layers, tables built once
// with det_exp / det_log, so the result is the same on every platform.
double sample_standard_exponential(RandomStream& rng);
// Standard normal by Marsaglia's polar method (uses det_log and sqrt only).
double sample_standard_normal(RandomStream& rng);
// Gamma(shape, 1) by Marsaglia & Tsang, ACM TOMS 26(3), 2000; boosted for shape < 1.
double sample_gamma(RandomStream& rng, double shape);

}  // namespace kt
