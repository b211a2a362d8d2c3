#pragma once
// Per-run statistics that models record: counters, sample moments, time-weighted averages.
// Quantiles live in quantile_sketch.hpp; across-replication summaries in replication.hpp.

#include <algorithm>
#include <cstdint>
#include <limits>

#include "engine/time.hpp"

namespace kt {

struct Counter {
  std::uint64_t value = 0;
  void add(std::uint64_t n = 1) { value += n; }
};

// Streaming mean, variance (Welford), min and max of observations.
class SampleStats {
 public:
  void add(double x) {
    ++count_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(count_);
    m2_ += delta * (x - mean_);
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? mean_ : 0.0; }
  double variance() const { return count_ > 1 ? m2_ / static_cast<double>(count_ - 1) : 0.0; }
  double min() const { return count_ ? min_ : 0.0; }
  double max() const { return count_ ? max_ : 0.0; }

 private:
  std::uint64_t count_ = 0;
  double mean_ = 0;
  double m2_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

// The time average of a piecewise-constant quantity (queue length, replicas, busy servers),
// from `start` (the end of the warm-up) on.
class TimeWeighted {
 public:
  explicit TimeWeighted(SimTime start = 0, double initial = 0)
      : start_(start), last_(start), value_(initial), max_(initial) {}

  void set(SimTime now, double value) {
    accumulate(now);
    value_ = value;
    max_ = std::max(max_, value);
  }
  void add(SimTime now, double delta) { set(now, value_ + delta); }
  // Forgets the past (e.g. at the end of warm-up), keeping the current value.
  void restart(SimTime now) {
    start_ = last_ = now;
    area_ = 0;
    max_ = value_;
  }
  double current() const { return value_; }
  double max() const { return max_; }
  double mean(SimTime now) const {
    const SimTime span = now - start_;
    if (span <= 0) return value_;
    const double area = area_ + value_ * static_cast<double>(now - last_);
    return area / static_cast<double>(span);
  }

 private:
  void accumulate(SimTime now) {
    if (now > last_) {
      area_ += value_ * static_cast<double>(now - last_);
      last_ = now;
    }
  }
  SimTime start_;
  SimTime last_;
  double value_;
  double max_;
  double area_ = 0;  // integral of value over [start_, last_] in value * ns
};

}  // namespace kt
