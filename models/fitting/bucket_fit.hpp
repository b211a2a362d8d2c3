#pragma once
// Service-time distributions fitted to a latency histogram (Prometheus buckets: counts at or
// below each bound) by maximum likelihood on the bucketed (interval-censored) data:
// log L = sum_j n_j log(F(b_j) - F(b_j-1)), maximised by Nelder-Mead in log-parameters.

#include <string>
#include <vector>

namespace kt::models {

struct BucketFit {
  std::string family;  // "lognormal" or "gamma"
  double mean_s = 0;
  double cv = 0;
  double log_likelihood = 0;
  double aic = 0;  // 2 * 2 parameters - 2 log L
  // Pearson's chi-square over the buckets (adjacent ones merged until each expects >= 5),
  // its degrees of freedom and p-value; and the largest gap between the observed and the
  // fitted CDF at the bounds, the plainer figure when samples are so many that any model
  // fails the chi-square test.
  double chi2 = 0;
  int dof = 0;
  double p_value = 0;
  double max_cdf_gap = 0;
  bool converged = false;
};

// `bounds`: the finite `le` bounds in seconds, ascending; `counts`: requests per bucket, one
// more than bounds (the last above every bound). Needs at least two non-empty buckets.
BucketFit fit_lognormal(const std::vector<double>& bounds, const std::vector<double>& counts);
BucketFit fit_gamma(const std::vector<double>& bounds, const std::vector<double>& counts);

// The regularized lower incomplete gamma function P(a, x) (the gamma CDF of shape a at x,
// and the chi-square CDF as P(k/2, x/2)).
double regularized_gamma_p(double a, double x);

}  // namespace kt::models
