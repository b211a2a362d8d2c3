#pragma once
// A log-linear histogram (the HdrHistogram layout) over non-negative integers, e.g. latencies in
// nanoseconds. Values below 256 are counted exactly; above, each power of two is cut into 128
// buckets, so a bucket is at most 1/128 of its values wide and the reported midpoint is within
// 1/256 (0.4 %) of every value in it. Memory is bounded: at most 7,424 counters (58 KiB),
// allocated only up to the largest value seen.

#include <cstdint>
#include <vector>

namespace kt {

class QuantileSketch {
 public:
  void record(std::int64_t value, std::uint64_t count = 1);
  void merge(const QuantileSketch& other);
  void clear();

  std::uint64_t count() const { return total_; }
  // The q-quantile (0 <= q <= 1) by nearest rank: a value v such that at least q of the
  // recorded values are <= v, within 0.4 % relative error. 0 when empty.
  double quantile(double q) const;
  double max() const { return static_cast<double>(max_); }
  std::size_t memory_bytes() const { return counts_.capacity() * sizeof(std::uint64_t); }

  static std::size_t bucket_of(std::uint64_t value);
  static std::uint64_t bucket_low(std::size_t bucket);
  static std::uint64_t bucket_width(std::size_t bucket);

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace kt
