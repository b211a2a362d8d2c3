#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine/det_math.hpp"
#include "engine/random.hpp"

namespace kt {
namespace {

// Distance in units in the last place between two finite doubles of the same sign.
double ulps(double a, double b) {
  if (a == b) return 0;
  return std::abs(a - b) / std::abs(std::nextafter(b, 0.0) - b);
}

TEST(DetMath, LogMatchesLibmWithinFourUlps) {
  RandomStream rng(8, 0, 0);
  for (int i = 0; i < 200000; ++i) {
    // Random exponents across the whole normal and subnormal range.
    const double x =
        std::ldexp(0.5 + rng.next_double(), static_cast<int>(rng.next_below(2100)) - 1070);
    if (x == 0 || std::isinf(x)) continue;
    const double ref = std::log(x);
    if (std::abs(ref) < 1e-300) continue;
    ASSERT_LE(ulps(det_log(x), ref), 4.0) << "x=" << x;
  }
  // Near 1, where cancellation is hardest.
  for (double x = 0.999; x < 1.001; x += 1.37e-6) {
    if (x == 1.0) continue;
    ASSERT_LE(ulps(det_log(x), std::log(x)), 4.0) << "x=" << x;
  }
}

TEST(DetMath, LogSpecialValues) {
  EXPECT_EQ(det_log(1.0), 0.0);
  EXPECT_EQ(det_log(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(det_log(-1.0)));
  EXPECT_TRUE(std::isnan(det_log(std::nan(""))));
  EXPECT_EQ(det_log(std::numeric_limits<double>::infinity()),
            std::numeric_limits<double>::infinity());
  EXPECT_NEAR(det_log(std::numeric_limits<double>::denorm_min()), -744.44007192138126, 1e-12);
}

TEST(DetMath, ExpMatchesLibmWithinFourUlps) {
  RandomStream rng(9, 0, 0);
  for (int i = 0; i < 200000; ++i) {
    const double x = -700.0 + 1400.0 * rng.next_double();
    ASSERT_LE(ulps(det_exp(x), std::exp(x)), 4.0) << "x=" << x;
  }
  EXPECT_EQ(det_exp(0.0), 1.0);
  EXPECT_EQ(det_exp(1000.0), std::numeric_limits<double>::infinity());
  EXPECT_EQ(det_exp(-1000.0), 0.0);
}

}  // namespace
}  // namespace kt
