#pragma once
// Random streams: one per logical process, derived from (scenario seed, replication, LP id).
//
// The generator is SplitMix64 with a per-stream odd increment ("gamma"), the design of
// Steele, Lea & Flood, "Fast Splittable Pseudorandom Number Generators", OOPSLA 2014 (the
// generator behind Java's SplittableRandom). Output i of a stream is mix64(seed + i * gamma),
// so it is counter-based: cheap to derive, 16 bytes of state, and the same on every platform.

#include <cstdint>

namespace kt {

// Stafford's "Mix13" 64-bit finalizer, as used by SplitMix64.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class RandomStream {
 public:
  RandomStream() : RandomStream(0, 0, 0) {}
  // Independent streams for every (seed, replication, lp) triple.
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t lp);

  std::uint64_t next_u64() {
    state_ += gamma_;
    return mix64(state_);
  }
  // Uniform on [0, 1) with 53 random bits.
  double next_double() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1]: safe to take the logarithm of.
  double next_open_double() { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }
  // Uniform integer in [0, n), n > 0, without modulo bias (Lemire's multiply-shift method).
  std::uint64_t next_below(std::uint64_t n);
  bool next_bernoulli(double p) { return next_double() < p; }

 private:
  std::uint64_t state_;
  std::uint64_t gamma_;
};

}  // namespace kt
