#include "engine/det_math.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace kt {
namespace {

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11 (the low 32 bits of kLn2Hi are zero).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kSqrt2 = 1.41421356237309514547e+00;

// 1 / (2k + 1) for k = 1..9, the atanh series coefficients (rounded once, at compile time).
constexpr double kAtanhCoefficients[] = {1.0 / 3,  1.0 / 5,  1.0 / 7,  1.0 / 9, 1.0 / 11,
                                         1.0 / 13, 1.0 / 15, 1.0 / 17, 1.0 / 19};
// 1 / n! for n = 1..14, the exponential series coefficients.
constexpr double kInverseFactorials[] = {1.0,
                                         1.0 / 2,
                                         1.0 / 6,
                                         1.0 / 24,
                                         1.0 / 120,
                                         1.0 / 720,
                                         1.0 / 5040,
                                         1.0 / 40320,
                                         1.0 / 362880,
                                         1.0 / 3628800,
                                         1.0 / 39916800,
                                         1.0 / 479001600,
                                         1.0 / 6227020800,
                                         1.0 / 87178291200};

}  // namespace

namespace {

// log(x) for x = 2^exponent * (1.mantissa bits); the mantissa comes from `bits`.
double log_of_normalized(std::uint64_t bits, int exponent) {
  // m in [1, 2), then folded into [sqrt(1/2), sqrt(2)) so that |s| below is at most 0.1716.
  double m = std::bit_cast<double>((bits & 0x000F'FFFF'FFFF'FFFFull) | 0x3FF0'0000'0000'0000ull);
  if (m > kSqrt2) {
    m *= 0.5;
    ++exponent;
  }
  // log(m) = 2 atanh(s) with s = (m - 1) / (m + 1) = 2 (s + s^3/3 + s^5/5 + ...).
  // With z = s^2 <= 0.0295, the first omitted term, z^10 / 21, is below 2^-55 relative.
  const double f = m - 1.0;  // exact (Sterbenz)
  const double s = f / (2.0 + f);
  const double z = s * s;
  double series = kAtanhCoefficients[8];
  for (int k = 7; k >= 0; --k)
    series = kAtanhCoefficients[k] + z * series;
  const double log_m = 2.0 * s + 2.0 * s * (z * series);
  const double k = exponent;
  return k * kLn2Hi + (k * kLn2Lo + log_m);
}

}  // namespace

double det_log(double x) {
  // Positive, normal, finite arguments are nearly every call: test for them first.
  if (x >= 0x1.0p-1022 && x <= 0x1.fffffffffffffp+1023) {
    const auto bits = std::bit_cast<std::uint64_t>(x);
    return log_of_normalized(bits, static_cast<int>(bits >> 52) - 1023);
  }
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  // Subnormal: scale into the normal range first (exact).
  const auto bits = std::bit_cast<std::uint64_t>(x * 0x1.0p54);
  return log_of_normalized(bits, static_cast<int>(bits >> 52) - 1023 - 54);
}

double det_exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.782712893383973096) return std::numeric_limits<double>::infinity();
  if (x < -745.133219101941108420) return 0.0;
  // x = k ln2 + r with |r| <= ln2 / 2; e^x = 2^k e^r.
  const double k = std::nearbyint(x * kInvLn2);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  // Taylor series of e^r to r^14 / 14!: truncation below 2^-60 for |r| <= 0.347.
  double sum = kInverseFactorials[13];
  for (int n = 12; n >= 0; --n)
    sum = kInverseFactorials[n] + r * sum;
  return std::ldexp(1.0 + r * sum, static_cast<int>(k));
}

}  // namespace kt
