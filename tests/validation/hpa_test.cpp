// The HorizontalPodAutoscaler against upstream's documented algorithm
// (kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/ and
// pkg/controller/podautoscaler in v1.28): the ratio rule, the tolerance, unready pods,
// min/max bounds, the default scale-up and scale-down policies and the 300 s scale-down
// stabilisation window.

#include <gtest/gtest.h>

#include "models/autoscaling/hpa.hpp"

namespace kt::autoscaling {
namespace {

HpaConfig config(std::int32_t min, std::int32_t max, double target) {
  HpaConfig c;
  c.min_replicas = min;
  c.max_replicas = max;
  c.target_utilization = target;
  return c;
}

TEST(Hpa, DocumentedRatioRule) {
  // "if the current metric value is 200m, and the desired value is 100m, the number of
  // replicas will be doubled ... if the current value is instead 50m, you'll halve".
  Hpa hpa(config(1, 100, 1.0));
  EXPECT_EQ(hpa.recommend(4, 4, 2.0), 8);
  EXPECT_EQ(hpa.recommend(4, 4, 0.5), 2);
  // ceil: 3 replicas at 90 % with a 50 % target -> ceil(5.4) = 6.
  Hpa h2(config(1, 100, 0.5));
  EXPECT_EQ(h2.recommend(3, 3, 0.9), 6);
}

TEST(Hpa, NoChangeWithinTheTolerance) {
  Hpa hpa(config(1, 100, 0.8));
  EXPECT_EQ(hpa.recommend(4, 4, 0.85), 4);  // ratio 1.0625
  EXPECT_EQ(hpa.recommend(4, 4, 0.88), 4);  // ratio 1.1: the tolerance edge is inclusive
  EXPECT_EQ(hpa.recommend(4, 4, 0.72), 4);  // ratio 0.9
  EXPECT_EQ(hpa.recommend(4, 4, 0.90), 5);  // ratio 1.125 -> ceil(4.5)
}

TEST(Hpa, UnreadyPodsCountAsIdleWhenScalingUp) {
  Hpa hpa(config(1, 100, 0.5));
  // 2 ready pods at 100 % of 4: ratio 2 on the ready pods, but with the 2 unready pods at
  // 0 % the ratio is 2*1.0/(0.5*4) = 1.0: no change.
  EXPECT_EQ(hpa.recommend(4, 2, 1.0), 4);
  // At 150 %: 2*1.5/(0.5*4) = 1.5 -> ceil(1.5 * 4) = 6.
  EXPECT_EQ(hpa.recommend(4, 2, 1.5), 6);
}

TEST(Hpa, ClampedToMinAndMax) {
  Hpa hpa(config(2, 10, 0.5));
  EXPECT_EQ(hpa.sync(0, 4, 4, 5.0), 8) << "limited by the scale-up policies first: max(4+4, 8)";
  Hpa bounded(config(2, 10, 0.5));
  EXPECT_EQ(bounded.sync(0, 8, 8, 5.0), 10) << "80 wanted, maxReplicas 10";
  Hpa low(config(2, 10, 0.5));
  EXPECT_EQ(low.sync(0, 3, 3, 0.01), 3) << "scale down waits for the stabilisation window";
  EXPECT_EQ(low.sync(301 * kSecond, 3, 3, 0.01), 2) << "then stops at minReplicas";
}

TEST(Hpa, DefaultScaleUpPolicyIsTheLargerOfFourPodsAndDoubling) {
  Hpa hpa(config(1, 1000, 0.1));
  EXPECT_EQ(hpa.sync(0, 1, 1, 10.0), 5) << "1 -> max(1+4, 1*2)";
  Hpa h2(config(1, 1000, 0.1));
  EXPECT_EQ(h2.sync(0, 10, 10, 10.0), 20) << "10 -> max(10+4, 10*2)";
  // Within one 15 s period the allowance is shared: 20 was reached at t=0 from 10, so at
  // t=10 s the period started at 10 and the limit is still 20.
  EXPECT_EQ(h2.sync(10 * kSecond, 20, 20, 10.0), 20);
  EXPECT_EQ(h2.sync(15 * kSecond, 20, 20, 10.0), 40) << "a new period";
}

TEST(Hpa, ScaleDownWaitsForTheStabilisationWindow) {
  Hpa hpa(config(1, 100, 0.5));
  SimTime t = 0;
  EXPECT_EQ(hpa.sync(t, 10, 10, 0.5), 10);
  // Load drops to a tenth: the raw recommendation is 1, but the highest recommendation of
  // the last 300 s is 10, so nothing happens until the 10 has left the window.
  for (t = 15 * kSecond; t < 300 * kSecond; t += 15 * kSecond) {
    EXPECT_EQ(hpa.sync(t, 10, 10, 0.05), 10) << "t=" << to_seconds(t);
  }
  EXPECT_EQ(hpa.sync(300 * kSecond, 10, 10, 0.05), 1) << "the t=0 recommendation expired";
}

TEST(Hpa, ScaleDownPolicyAllowsTheWholeDropInOnePeriod) {
  HpaConfig c = config(1, 100, 0.5);
  c.scale_down.stabilization_window = 0;
  Hpa hpa(c);
  EXPECT_EQ(hpa.sync(0, 10, 10, 0.05), 1) << "-100 % per 15 s";
  HpaConfig slow = config(1, 100, 0.5);
  slow.scale_down.stabilization_window = 0;
  slow.scale_down.policies = {{ScalingPolicy::Type::Percent, 10, 60 * kSecond}};
  Hpa h2(slow);
  EXPECT_EQ(h2.sync(0, 10, 10, 0.05), 9) << "10 % per minute: int(10 * 0.9)";
  EXPECT_EQ(h2.sync(15 * kSecond, 9, 9, 0.05), 9) << "the period's allowance is spent";
  EXPECT_EQ(h2.sync(60 * kSecond, 9, 9, 0.05), 8) << "int(9 * 0.9)";
}

TEST(Hpa, NoMetricsKeepsTheScale) {
  Hpa hpa(config(1, 100, 0.5));
  EXPECT_EQ(hpa.recommend(3, 0, 0.0), 3);
}

}  // namespace
}  // namespace kt::autoscaling
