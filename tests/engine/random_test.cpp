#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/random.hpp"

namespace kt {
namespace {

// The first outputs of one stream, fixed forever: a seed must give the same numbers on every
// platform, compiler and standard library. If this fails, results stopped being reproducible.
TEST(RandomStream, GoldenValues) {
  RandomStream rng(42, 0, 7);
  const std::uint64_t first = rng.next_u64();
  const std::uint64_t second = rng.next_u64();
  RandomStream again(42, 0, 7);
  EXPECT_EQ(again.next_u64(), first);
  EXPECT_EQ(again.next_u64(), second);
  EXPECT_EQ(first, 0x8311B0E06B7E79DAull) << std::hex << first;
  EXPECT_EQ(second, 0x754E361CFADC0741ull) << std::hex << second;
}

TEST(RandomStream, StreamsDifferInEveryCoordinate) {
  const std::uint64_t base = RandomStream(1, 2, 3).next_u64();
  EXPECT_NE(RandomStream(0, 2, 3).next_u64(), base);
  EXPECT_NE(RandomStream(1, 0, 3).next_u64(), base);
  EXPECT_NE(RandomStream(1, 2, 0).next_u64(), base);
  // Swapping coordinates must not give the same stream.
  EXPECT_NE(RandomStream(3, 2, 1).next_u64(), base);
}

TEST(RandomStream, NeighbouringStreamsAreUncorrelated) {
  // Correlation of uniforms from LP i and LP i+1: |r| must be within 4 / sqrt(n) of zero.
  constexpr int kN = 200000;
  RandomStream a(9, 0, 100);
  RandomStream b(9, 0, 101);
  double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
  for (int i = 0; i < kN; ++i) {
    const double x = a.next_double();
    const double y = b.next_double();
    sa += x;
    sb += y;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  const double cov = sab / kN - (sa / kN) * (sb / kN);
  const double r = cov / std::sqrt((saa / kN - sa * sa / kN / kN) * (sbb / kN - sb * sb / kN / kN));
  EXPECT_LT(std::abs(r), 4.0 / std::sqrt(kN));
}

TEST(RandomStream, DoublesStayInTheirIntervals) {
  RandomStream rng(1, 1, 1);
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.next_double();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const double v = rng.next_open_double();
    ASSERT_GT(v, 0.0);
    ASSERT_LE(v, 1.0);
  }
}

TEST(RandomStream, NextBelowIsUniform) {
  // Chi-square goodness of fit over 10 cells with 9 degrees of freedom: the 99.9 % critical
  // value is 27.88.
  constexpr int kCells = 10;
  constexpr int kDraws = 100000;
  RandomStream rng(77, 0, 0);
  std::vector<int> counts(kCells, 0);
  for (int i = 0; i < kDraws; ++i) {
    const auto v = rng.next_below(kCells);
    ASSERT_LT(v, static_cast<std::uint64_t>(kCells));
    ++counts[v];
  }
  double chi2 = 0;
  const double expected = static_cast<double>(kDraws) / kCells;
  for (int c : counts)
    chi2 += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi2, 27.88);
  EXPECT_EQ(rng.next_below(1), 0u);
}

}  // namespace
}  // namespace kt
