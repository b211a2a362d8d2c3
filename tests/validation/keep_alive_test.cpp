// The hybrid histogram keep-alive policy (Shahrad et al., USENIX ATC 2020, section 4.2) as
// kubetwin reads it: 1-minute bins over 4 hours; a histogram whose bin counts vary enough
// (CV > 2) gives pre-warm = 90 % of the 5th percentile's bin edge and keep-alive up to 110 %
// of the 99th's; mostly out-of-range idle times are forecast; otherwise the standard
// keep-alive (no pre-warm, the 4-hour range).

#include <gtest/gtest.h>

#include <cmath>

#include "models/serverless/keep_alive.hpp"

namespace kt::serverless {
namespace {

using Basis = KeepAliveWindows::Basis;

TEST(HybridHistogram, WithoutObservationsTheStandardKeepAlive) {
  const HybridHistogram h{HybridHistogramParams{}};
  const KeepAliveWindows w = h.windows();
  EXPECT_EQ(w.basis, Basis::standard);
  EXPECT_EQ(w.prewarm, 0);
  EXPECT_EQ(w.keep_alive, 4 * kHour);
}

TEST(HybridHistogram, ATimerGivesAPrewarmBeforeItsPeriod) {
  HybridHistogram h{HybridHistogramParams{}};
  for (int i = 0; i < 10; ++i)
    h.observe(30 * kMinute - 200 * kMillisecond);  // bin 29
  // One bin of 240 holds everything: CV = sqrt(239) = 15.5.
  EXPECT_NEAR(h.bin_cv(), std::sqrt(239.0), 1e-9);
  const KeepAliveWindows w = h.windows();
  EXPECT_EQ(w.basis, Basis::histogram);
  EXPECT_EQ(w.prewarm, static_cast<SimTime>(0.9 * 29 * kMinute));
  EXPECT_EQ(w.prewarm + w.keep_alive, static_cast<SimTime>(1.1 * 30 * kMinute));
}

TEST(HybridHistogram, PercentilesOfASpreadPattern) {
  HybridHistogram h{HybridHistogramParams{}};
  // 100 idle times: 2 in bin 1, 97 in bin 10, 1 in bin 50: the 5th percentile is bin 10's
  // lower edge (rank 5 falls there), the 99th bin 10's upper edge (rank 99).
  for (int i = 0; i < 2; ++i)
    h.observe(90 * kSecond);
  for (int i = 0; i < 97; ++i)
    h.observe(10 * kMinute + 30 * kSecond);
  h.observe(50 * kMinute + 30 * kSecond);
  const KeepAliveWindows w = h.windows();
  EXPECT_EQ(w.basis, Basis::histogram);
  EXPECT_EQ(w.prewarm, static_cast<SimTime>(0.9 * 10 * kMinute));
  EXPECT_EQ(w.prewarm + w.keep_alive, static_cast<SimTime>(1.1 * 11 * kMinute));
}

TEST(HybridHistogram, AFlatHistogramIsNotRepresentative) {
  HybridHistogram h{HybridHistogramParams{}};
  for (int b = 0; b < 240; ++b)
    h.observe(b * kMinute + 30 * kSecond);  // one in every bin: CV 0
  EXPECT_NEAR(h.bin_cv(), 0.0, 1e-12);
  EXPECT_EQ(h.windows().basis, Basis::standard);
}

TEST(HybridHistogram, MostlyOutOfRangeIdleTimesAreForecast) {
  HybridHistogram h{HybridHistogramParams{}};
  for (int i = 0; i < 5; ++i)
    h.observe(6 * kHour);
  h.observe(kMinute);
  // EWMA (weight 0.3) of 6 h x 5 then 1 min: 0.7 x 6 h + 0.3 x 1 min = 4.2 h + 18 s.
  const double forecast = 0.7 * 6 * 3600 + 0.3 * 60;
  const KeepAliveWindows w = h.windows();
  EXPECT_EQ(w.basis, Basis::forecast);
  EXPECT_NEAR(to_seconds(w.prewarm), 0.85 * forecast, 1e-6);
  EXPECT_NEAR(to_seconds(w.keep_alive), 0.30 * forecast, 1e-6);
}

}  // namespace
}  // namespace kt::serverless
