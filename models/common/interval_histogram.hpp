#pragma once
// Latency percentiles per time-series interval: a histogram of 256 log-spaced buckets (four
// per power of two, so a percentile is within 19 % of the truth), 1 KiB, cheap to record and
// to clear at every sample. The run's own percentiles use the finer QuantileSketch.

#include <array>
#include <bit>
#include <cstdint>

namespace kt::models {

class IntervalHistogram {
 public:
  void record(std::int64_t ns) {
    const auto v = static_cast<std::uint64_t>(ns > 0 ? ns : 1);
    const int msb = 63 - std::countl_zero(v);
    const int sub = msb >= 2 ? static_cast<int>((v >> (msb - 2)) & 3) : 0;
    ++counts_[static_cast<std::size_t>(msb * 4 + sub)];
    ++total_;
  }
  std::uint64_t count() const { return total_; }
  void clear() {
    counts_.fill(0);
    total_ = 0;
  }
  // The upper edge of the bucket holding quantile q, in ns (0 when empty).
  double quantile(double q) const {
    if (total_ == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank) {
        const int msb = static_cast<int>(i / 4);
        const int sub = static_cast<int>(i % 4);
        const double low = static_cast<double>(1ull << msb);
        return msb >= 2 ? low * (1.0 + (sub + 1) / 4.0) : low * 2;
      }
    }
    return 0;
  }

 private:
  std::array<std::uint32_t, 256> counts_{};
  std::uint64_t total_ = 0;
};

}  // namespace kt::models
