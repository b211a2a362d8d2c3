#pragma once
// Summaries across independent replications: mean and a Student-t 95 % confidence interval.

#include <cstddef>
#include <span>

namespace kt {

struct ReplicationSummary {
  std::size_t n = 0;
  double mean = 0;
  double stddev = 0;  // sample standard deviation (n - 1)
  double ci95 = 0;    // half-width of the 95 % confidence interval of the mean; 0 when n < 2
  double min = 0;
  double max = 0;
};

ReplicationSummary summarize(std::span<const double> values);

// The two-sided Student-t critical value: P(|T| <= t) = confidence for `df` degrees of freedom,
// computed from the exact closed-form CDF for integer df (Abramowitz & Stegun 26.7.3-4).
double student_t_critical(double confidence, std::size_t df);

}  // namespace kt
