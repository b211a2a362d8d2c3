#include "engine/replication.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace kt {
namespace {

// A(t | df) = P(|T| <= t) for integer df, A&S 26.7.3 (odd df) and 26.7.4 (even df).
double two_sided_cdf(double t, std::size_t df) {
  const double theta = std::atan(t / std::sqrt(static_cast<double>(df)));
  const double c2 = std::cos(theta) * std::cos(theta);
  const double sin_t = std::sin(theta);
  if (df % 2 == 0) {
    // sin(theta) [1 + 1/2 cos^2 + (1*3)/(2*4) cos^4 + ... + (1*3*...*(df-3))/(2*4*...*(df-2))].
    double term = 1;
    double sum = 1;
    for (std::size_t k = 2; k + 2 <= df; k += 2) {
      term *= c2 * static_cast<double>(k - 1) / static_cast<double>(k);
      sum += term;
    }
    return sin_t * sum;
  }
  // (2/pi) [theta + sin cos (1 + 2/3 cos^2 + ... + (2*4*...*(df-3))/(1*3*...*(df-2)) cos^(df-3))].
  double sum = 0;
  if (df > 1) {
    double term = 1;
    sum = 1;
    for (std::size_t k = 3; k + 2 <= df; k += 2) {
      term *= c2 * static_cast<double>(k - 1) / static_cast<double>(k);
      sum += term;
    }
    sum *= sin_t * std::cos(theta);
  }
  return 2 / std::numbers::pi * (theta + sum);
}

}  // namespace

double student_t_critical(double confidence, std::size_t df) {
  if (df == 0) throw std::invalid_argument("Student t needs at least one degree of freedom");
  if (!(confidence > 0 && confidence < 1)) throw std::invalid_argument("confidence in (0, 1)");
  // The CDF is increasing in t: bisect on [0, hi] after bracketing.
  double lo = 0;
  double hi = 1;
  while (two_sided_cdf(hi, df) < confidence)
    hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
    const double mid = (lo + hi) / 2;
    (two_sided_cdf(mid, df) < confidence ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

ReplicationSummary summarize(std::span<const double> values) {
  ReplicationSummary s;
  s.n = values.size();
  if (s.n == 0) return s;
  double sum = 0;
  for (double v : values)
    sum += v;
  s.mean = sum / static_cast<double>(s.n);
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  if (s.n < 2) return s;
  double squares = 0;
  for (double v : values)
    squares += (v - s.mean) * (v - s.mean);
  s.stddev = std::sqrt(squares / static_cast<double>(s.n - 1));
  s.ci95 = student_t_critical(0.95, s.n - 1) * s.stddev / std::sqrt(static_cast<double>(s.n));
  return s;
}

}  // namespace kt
