#include "engine/random.hpp"

#include <bit>

namespace kt {
namespace {

constexpr std::uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ull;

// A different finalizer (Murmur3's) for deriving gammas, so seeds and gammas are unrelated.
constexpr std::uint64_t mix64_variant(std::uint64_t z) {
  z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDull;
  z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53ull;
  return z ^ (z >> 33);
}

// An odd gamma with enough bit transitions, as SplittableRandom's mixGamma requires.
std::uint64_t make_gamma(std::uint64_t z) {
  z = mix64_variant(z) | 1ull;
  if (std::popcount(z ^ (z >> 1)) < 24) z ^= 0xAAAAAAAAAAAAAAAAull;
  return z;
}

}  // namespace

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t lp) {
  // Chain the three coordinates through the mixer so that nearby triples are far apart.
  std::uint64_t key = mix64(seed + kGoldenGamma);
  key = mix64(key ^ (replication + 0x632BE59BD9B4E019ull));
  key = mix64(key ^ (lp + 0x8CB92BA72F3D8DD7ull));
  state_ = key;
  gamma_ = make_gamma(key ^ 0xD1B54A32D192ED03ull);
}

std::uint64_t RandomStream::next_below(std::uint64_t n) {
  // Lemire, "Fast Random Integer Generation in an Interval", ACM TOMACS 29(1), 2019.
  __extension__ typedef unsigned __int128 U128;
  U128 m = static_cast<U128>(next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<U128>(next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace kt
