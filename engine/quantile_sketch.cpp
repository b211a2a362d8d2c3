#include "engine/quantile_sketch.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace kt {
namespace {

constexpr unsigned kSubBits = 7;                       // 128 buckets per power of two
constexpr std::uint64_t kExactLimit = 2u << kSubBits;  // values below 256 are exact

}  // namespace

std::size_t QuantileSketch::bucket_of(std::uint64_t value) {
  if (value < kExactLimit) return static_cast<std::size_t>(value);
  const unsigned msb = 63 - static_cast<unsigned>(std::countl_zero(value));  // >= 8
  const unsigned shift = msb - kSubBits;
  const std::uint64_t sub = (value >> shift) - (1u << kSubBits);  // in [0, 128)
  return kExactLimit + (msb - kSubBits - 1) * (1u << kSubBits) + sub;
}

std::uint64_t QuantileSketch::bucket_low(std::size_t bucket) {
  if (bucket < kExactLimit) return bucket;
  const std::size_t above = bucket - kExactLimit;
  const unsigned msb = static_cast<unsigned>(above >> kSubBits) + kSubBits + 1;
  const std::uint64_t sub = above & ((1u << kSubBits) - 1);
  return ((1ull << kSubBits) + sub) << (msb - kSubBits);
}

std::uint64_t QuantileSketch::bucket_width(std::size_t bucket) {
  if (bucket < kExactLimit) return 1;
  const unsigned msb = static_cast<unsigned>((bucket - kExactLimit) >> kSubBits) + kSubBits + 1;
  return 1ull << (msb - kSubBits);
}

void QuantileSketch::record(std::int64_t value, std::uint64_t count) {
  if (count == 0) return;
  if (value < 0) value = 0;  // a negative duration can only be a rounding artefact
  const std::size_t b = bucket_of(static_cast<std::uint64_t>(value));
  if (b >= counts_.size()) counts_.resize(b + 1, 0);
  counts_[b] += count;
  total_ += count;
  max_ = std::max(max_, value);
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (std::size_t b = 0; b < other.counts_.size(); ++b)
    counts_[b] += other.counts_[b];
  total_ += other.total_;
  max_ = std::max(max_, other.max_);
}

void QuantileSketch::clear() {
  counts_.clear();
  total_ = 0;
  max_ = 0;
}

double QuantileSketch::quantile(double q) const {
  if (total_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // Nearest rank: the smallest rank r (1-based) with r >= q * n.
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_))));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    seen += counts_[b];
    if (seen >= rank) {
      const std::uint64_t width = bucket_width(b);
      if (width == 1) return static_cast<double>(bucket_low(b));
      // Midpoint of the bucket, but never above the largest value recorded.
      const double mid = static_cast<double>(bucket_low(b)) + static_cast<double>(width - 1) / 2;
      return std::min(mid, static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);
}

}  // namespace kt
