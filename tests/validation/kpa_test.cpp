// The Knative Pod Autoscaler's decider and windows against Knative Serving's own unit tests
// (knative/serving @98e5ef90aa), inputs and expected results unchanged:
//  - pkg/autoscaler/aggregation/bucketing_test.go: TestTimedFloat64BucketsWindowAverage,
//    TestDescendingRecord, TestTimedFloat64BucketsHoles;
//  - pkg/autoscaler/scaling/autoscaler_test.go: the Test* named in each case. Its harness
//    builds the spec as newTestAutoscalerWithScalingMetric does: TotalValue = target / 0.75,
//    PanicThreshold 2, MaxScaleUpRate 10, MaxScaleDownRate 10, StableWindow 60 s, Reachable,
//    one ready pod unless the test sets another; expectedEBC(totCap, tbc, conc, pods) =
//    floor(totCap / 0.75 x pods - tbc - conc).

#include <gtest/gtest.h>

#include <cmath>

#include "models/autoscaling/kpa.hpp"

namespace kt::autoscaling {
namespace {

SimTime at(double seconds) {
  return static_cast<SimTime>(std::llround(seconds * 1e9));
}

TEST(KpaWindow, TestTimedFloat64BucketsWindowAverage) {
  SimTime now = at(1000.3);  // upstream uses time.Now(): not on a second
  WindowBuckets b(5 * kSecond);
  b.record(now, 1);
  EXPECT_EQ(b.average(now), 1.0) << "firstWrite used: not 0.2";
  for (int i = 1; i < 5; ++i)
    b.record(now + i * kSecond, i + 1);
  EXPECT_EQ(b.average(now + 4 * kSecond), 15.0 / 5);
  EXPECT_EQ(b.average(now + at(3.6)), 15.0 / 5) << "now lags behind";
  EXPECT_EQ(b.average(now + 6 * kSecond), (15.0 - 1 - 2) / (5 - 2)) << "short hole";
  EXPECT_EQ(b.average(now + 10 * kSecond), 0.0) << "long hole";
  b.record(now + 6 * kSecond, 91);
  EXPECT_EQ(b.average(now + 6 * kSecond), (15.0 - 1 - 2 + 91) / 5) << "write with holes";
  now += 60 * kSecond;
  b.record(now, 1984);
  EXPECT_EQ(b.average(now), 1984.0) << "advance much farther";
  b.record(now - 3 * kSecond, 4);
  EXPECT_EQ(b.average(now), (4.0 + 1984) / 4) << "an earlier time";
  now += kSecond;
  b.record(now, 5);
  EXPECT_EQ(b.average(now), (4.0 + 1984 + 5) / 5);
  b.record(now - 3 * kSecond, 10);
  EXPECT_EQ(b.average(now), (4.0 + 10 + 1984 + 5) / 5) << "an earlier time again";
  b.record(now - 6 * kSecond, 10);
  EXPECT_EQ(b.average(now), (4.0 + 10 + 1984 + 5) / 5) << "too early: ignored";
  b.record(now - 5 * kSecond, 10);
  EXPECT_EQ(b.average(now), (4.0 + 10 + 1984 + 5) / 5) << "bound timestamp: ignored";
  b.record(now + 5 * kSecond, 10);
  EXPECT_EQ(b.average(now + 5 * kSecond), 10.0) << "cleared after exactly a window";
}

TEST(KpaWindow, TestDescendingRecord) {
  const SimTime now = at(1000.3);
  WindowBuckets b(5 * kSecond);
  for (int i = 8; i >= 0; --i)
    b.record(now + i * kSecond, 5);
  EXPECT_EQ(b.average(now + 5 * kSecond), 5.0);
}

TEST(KpaWindow, TestTimedFloat64BucketsHoles) {
  const SimTime now = at(1000.3);
  WindowBuckets b(5 * kSecond);
  for (int i = 0; i < 5; ++i)
    b.record(now + i * kSecond, i + 1);
  EXPECT_EQ(b.average(now + 4 * kSecond), 15.0 / 5);
  // A write at second 8 clears seconds 5-7; seconds 4 (value 5) and 8 (value 2) remain:
  // upstream asserts their sum, 7; here the average WindowAverage's formula gives for it,
  // over the window's 5 buckets.
  b.record(now + 8 * kSecond, 2.0);
  EXPECT_EQ(b.average(now + 8 * kSecond), 7.0 / 5);
}

KpaSpec spec(double target, double tbc) {
  KpaSpec s;
  s.target_value = target;
  s.total_value = target / 0.75;
  s.target_burst_capacity = tbc;
  s.panic_threshold = 2;
  s.max_scale_up_rate = 10;
  s.max_scale_down_rate = 10;
  s.stable_window = 60 * kSecond;
  return s;
}

std::int32_t ebc(double tot, double tbc, double conc, double pods) {
  return static_cast<std::int32_t>(std::floor(tot / 0.75 * pods - tbc - conc));
}

void expect(KpaDecider& a, SimTime now, std::int32_t ready, double stable, double panic,
            std::int32_t want, std::int32_t want_ebc, const char* what) {
  const KpaDecision d = a.scale(now, ready, stable, panic);
  EXPECT_EQ(d.desired, want) << what;
  EXPECT_EQ(d.excess_burst_capacity, want_ebc) << what << " (EBC)";
}

const SimTime t0 = at(5000);

TEST(KpaDecider, StableModeCasesOfUpstream) {
  KpaDecider a(spec(10, 101), 1, t0);
  expect(a, t0, 1, 50, 10, 5, ebc(10, 101, 10, 1), "StableModeIncreaseWithConcurrencyDefault");
  expect(a, t0, 1, 100, 10, 10, ebc(10, 101, 10, 1), "... stable 100");
  KpaDecider d(spec(10, 98), 1, t0);
  expect(d, t0, 8, 100, 100, 10, ebc(10, 98, 100, 8), "StableModeDecrease");
  expect(d, t0, 8, 50, 50, 5, ebc(10, 98, 50, 8), "... to 5");
  KpaDecider z(spec(10, 75), 1, t0);
  expect(z, t0, 1, 1, 0, 1, ebc(10, 75, 0, 1), "StableModeNoTrafficScaleToZero");
  expect(z, t0, 1, 0, 0, 0, ebc(10, 75, 0, 1), "... to zero");
  KpaSpec act = spec(10, 75);
  act.activation_scale = 2;
  KpaDecider s(act, 1, t0);
  expect(s, t0, 1, 0, 0, 0, ebc(10, 75, 0, 1), "ActivationScale, no traffic");
  expect(s, t0, 1, 1, 0, 2, ebc(10, 75, 0, 1), "ActivationScale");
}

TEST(KpaDecider, TestAutoscalerScaleTable) {
  struct Case {
    const char* label;
    double target, tbc, stable, panic;
    std::int32_t ready;
    std::int32_t want, want_ebc;
  };
  const Case cases[] = {
      {"AutoscalerNoDataAtZeroNoAutoscale", 10, 100, 0, 0, 1, 0, ebc(10, 100, 0, 1)},
      {"AutoscalerStableModeUnlimitedTBC", 181, -1, 21, 26, 1, 1, -1},
      {"Autoscaler0TBC", 10, 0, 50, 49, 1, 5, 0},
      {"AutoscalerStableModeNoChange", 10, 100, 50, 50, 1, 5, ebc(10, 100, 50, 1)},
      {"AutoscalerStableModeNoChangeAlreadyScaled", 10, 100, 50, 50, 5, 5, ebc(10, 100, 50, 5)},
      {"AutoscalerPanicModeDoublePodCount", 10, 84, 50, 100, 1, 10, ebc(10, 84, 100, 1)},
  };
  for (const Case& c : cases) {
    KpaDecider a(spec(c.target, c.tbc), 1, t0);
    expect(a, t0, c.ready, c.stable, c.panic, c.want, c.want_ebc, c.label);
  }
  // AutoscalerStableModeIncreaseWithSmallScaleUpRate: MSUR 1.1 from 2 pods still adds one.
  KpaSpec up = spec(1, 1982);
  up.max_scale_up_rate = 1.1;
  KpaDecider u(up, 1, t0);
  expect(u, t0, 2, 3, 3.1, 3, ebc(1, 1982, 3.1, 2), "IncreaseWithSmallScaleUpRate");
  KpaSpec down = spec(10, 1982);
  down.max_scale_down_rate = 1.1;
  KpaDecider dd(down, 1, t0);
  expect(dd, t0, 100, 1, 1, 90, ebc(10, 1982, 1, 100), "DecreaseWithSmallScaleDownRate");
  down.reachable = false;
  KpaDecider nr(down, 1, t0);
  expect(nr, t0, 100, 1, 1, 1, ebc(10, 1982, 1, 100), "StableModeDecreaseNonReachable");
}

TEST(KpaDecider, PanicCasesOfUpstream) {
  {  // TestAutoscalerUnpanicAfterSlowIncrease
    KpaDecider a(spec(1, 98), 1, t0);
    SimTime tm = t0;
    expect(a, tm, 10, 11, 25, 25, ebc(1, 98, 25, 10), "jump 10 -> 25");
    EXPECT_TRUE(a.panicking());
    tm += 30 * kSecond;
    expect(a, tm, 40, 30, 41, 41, ebc(1, 98, 41, 40), "half a window later");
    tm += 30 * kSecond + 2 * kSecond;
    expect(a, tm, 55, 50, 56, 50, ebc(1, 98, 56, 55), "panic ends");
    EXPECT_FALSE(a.panicking());
  }
  {  // TestAutoscalerExtendPanicWindow
    KpaDecider a(spec(1, 98), 1, t0);
    expect(a, t0, 10, 11, 25, 25, ebc(1, 98, 25, 10), "jump");
    expect(a, t0 + 30 * kSecond, 40, 30, 80, 80, ebc(1, 98, 80, 40), "still surging");
    EXPECT_TRUE(a.panicking());
  }
  {  // TestAutoscalerPanicModeExponentialTrackAndStabilize
    KpaDecider a(spec(1, 101), 1, t0);
    expect(a, t0, 1, 6, 6, 6, ebc(1, 101, 6, 1), "6");
    expect(a, t0, 6, 36, 36, 36, ebc(1, 101, 36, 6), "36");
    expect(a, t0 + kSecond, 36, 216, 216, 216, ebc(1, 101, 216, 36), "216");
    expect(a, t0 + kSecond, 216, 1296, 1296, 1296, ebc(1, 101, 1296, 216), "1296");
    expect(a, t0 + 2 * kSecond, 1296, 1296, 1296, 1296, ebc(1, 101, 1296, 1296), "stable");
  }
  {  // TestAutoscalerPanicThenUnPanicScaleDown
    KpaDecider a(spec(10, 93), 1, t0);
    expect(a, t0, 1, 100, 100, 10, ebc(10, 93, 100, 1), "10");
    expect(a, t0, 10, 100, 1000, 100, ebc(10, 93, 1000, 10), "panic to 100");
    expect(a, t0 + 30 * kSecond, 10, 1, 1, 100, ebc(10, 93, 1, 10), "no scale-down in panic");
    expect(a, t0 + 61 * kSecond, 10, 1, 1, 1, ebc(10, 93, 1, 10), "after the stable window");
  }
  {  // AutoscalerPanicStableLargerThanPanic / LessThanPanic (panicking since 5 s, max 5)
    KpaDecider a(spec(1, 100), 5, t0 - 5 * kSecond);
    expect(a, t0, 5, 50, 30, 50, ebc(1, 100, 30, 5), "stable larger than panic");
    KpaDecider b(spec(1, 100), 5, t0 - 5 * kSecond);
    expect(b, t0, 5, 20, 30, 30, ebc(1, 100, 30, 5), "stable less than panic");
  }
}

TEST(KpaDecider, RateLimitsOfUpstream) {
  KpaDecider up(spec(10, 61), 1, t0);
  expect(up, t0, 1, 1000, 1001, 10, ebc(10, 61, 1001, 1), "TestAutoscalerRateLimitScaleUp x10");
  expect(up, t0, 10, 1000, 1001, 100, ebc(10, 61, 1001, 10), "x10 again");
  KpaDecider down(spec(10, 61), 1, t0);
  expect(down, t0, 100, 1, 1, 10, ebc(10, 61, 1, 100), "TestAutoscalerRateLimitScaleDown /10");
  expect(down, t0, 10, 1, 1, 1, ebc(10, 61, 1, 10), "/10 again");
}

TEST(KpaDecider, TestAutoscalerScaleDownDelay) {
  KpaSpec s;
  s.target_value = 10;
  s.max_scale_down_rate = 10;
  s.max_scale_up_rate = 10;
  s.panic_threshold = 100;
  s.scale_down_delay = 5 * kMinute;
  s.target_burst_capacity = 0;
  KpaDecider a(s, 0, 0);
  EXPECT_EQ(a.scale(2 * kSecond, 0, 40, 40).desired, 4) << "simple";
  EXPECT_EQ(a.scale(5 * kMinute, 0, 0, 0).desired, 4);
  EXPECT_EQ(a.scale(5 * kMinute + 2 * kSecond, 0, 0, 0).desired, 0);
  EXPECT_EQ(a.scale(9 * kMinute, 0, 40, 40).desired, 4) << "gradual";
  EXPECT_EQ(a.scale(10 * kMinute, 0, 30, 30).desired, 4) << "4 still dominates";
  EXPECT_EQ(a.scale(11 * kMinute, 0, 0, 0).desired, 4);
  EXPECT_EQ(a.scale(14 * kMinute, 0, 0, 0).desired, 3) << "4 scrolls out";
  EXPECT_EQ(a.scale(15 * kMinute, 0, 0, 0).desired, 0) << "everything scrolled out";
}

TEST(KpaDecider, TestStartInPanicMode) {
  for (std::int32_t ready : {0, 1}) {
    const KpaDecider a(spec(100, 11), ready, t0);
    EXPECT_FALSE(a.panicking()) << ready;
  }
  const KpaDecider a(spec(100, 11), 2, t0);
  EXPECT_TRUE(a.panicking());
}

}  // namespace
}  // namespace kt::autoscaling
