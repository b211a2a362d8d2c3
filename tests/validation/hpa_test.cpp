// The HorizontalPodAutoscaler against upstream's own tests. Each case below is one of
// kubernetes/kubernetes' unit tests, its inputs and expected result unchanged, run on
// kubetwin's implementation:
//  - pkg/controller/podautoscaler/replica_calculator_test.go (commit 5f3bc7cd): the
//    TestReplicaCalc* cases, one metric's proposal;
//  - pkg/controller/podautoscaler/horizontal_test.go (commit 003e8629): TestScalingWithRules
//    (the behavior's rate policies) and TestNormalizeDesiredReplicas (the legacy
//    stabilisation).
// Upstream's tests give per-pod CPU levels in millicores and requests in cores; a pod's
// readiness False is "unready", a Pending pod too, a Failed or deleted pod "ignored", a pod
// beyond the levels given "missing".

#include <gtest/gtest.h>

#include <vector>

#include "models/autoscaling/hpa.hpp"
#include "models/autoscaling/replica_calculator.hpp"

namespace kt::autoscaling {
namespace {

constexpr PodGroup R = PodGroup::ready;
constexpr PodGroup U = PodGroup::unready;
constexpr PodGroup I = PodGroup::ignored;

// Pods with `requests` (millicores); the first levels.size() non-ignored, non-unready pods
// report a level; as upstream's test harness, unready pods also carry a level that the
// calculator must drop, and pods past the levels are missing.
std::vector<PodSample> pods(const std::vector<std::int64_t>& requests,
                            const std::vector<std::int64_t>& levels,
                            const std::vector<PodGroup>& groups = {}) {
  std::vector<PodSample> out;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    PodSample p;
    p.request_milli = requests[i];
    p.group = i < groups.size() ? groups[i] : R;
    if (i < levels.size()) {
      p.value_milli = levels[i];
    } else if (p.group == R) {
      p.group = PodGroup::missing;
    }
    out.push_back(p);
  }
  return out;
}

std::int32_t cpu(std::int32_t current, std::int32_t target, const std::vector<PodSample>& p) {
  return resource_utilization_replicas(current, target, p, Tolerances{}).value_or(-1);
}

const std::vector<std::int64_t> k1 = {1000, 1000, 1000};
const std::vector<std::int64_t> k5 = {1000, 1000, 1000, 1000, 1000};
const std::vector<std::int64_t> k7 = {1000, 1000, 1000, 1000, 1000, 1000, 1000};

TEST(ReplicaCalculator, ResourceUtilizationCasesOfUpstream) {
  EXPECT_EQ(cpu(3, 30, pods(k1, {300, 500, 700})), 5) << "TestReplicaCalcScaleUp";
  EXPECT_EQ(cpu(3, 30, pods(k1, {300, 500, 700}, {U, R, R})), 4)
      << "TestReplicaCalcScaleUpUnreadyLessScale";
  EXPECT_EQ(cpu(3, 30, pods(k1, {400, 500, 700}, {R, U, U})), 3)
      << "TestReplicaCalcScaleUpUnreadyNoScale";
  EXPECT_EQ(cpu(2, 30, pods({1000, 1000, 1000, 1000}, {500, 700}, {R, R, I, I})), 4)
      << "TestReplicaCalcScaleUpIgnoresFailedPods / ...DeletionPods";
  EXPECT_EQ(cpu(5, 50, pods(k5, {100, 300, 500, 250, 250})), 3) << "TestReplicaCalcScaleDown";
  EXPECT_EQ(cpu(5, 50, pods(k5, {100, 300, 500, 250, 250}, {R, R, R, U, U})), 2)
      << "TestReplicaCalcScaleDownIncludeUnreadyPods";
  EXPECT_EQ(cpu(5, 50, pods(k5, {100}, {R, U, U, U, U})), 1)
      << "TestReplicaCalcScaleDownExcludeUnscheduledPods (Pending pods)";
  EXPECT_EQ(cpu(5, 50, pods(k7, {100, 300, 500, 250, 250}, {R, R, R, R, R, I, I})), 3)
      << "TestReplicaCalcScaleDownIgnoresFailedPods / ...DeletionPods";
  EXPECT_EQ(cpu(3, 100, pods({900, 1000, 1100}, {1010, 1030, 1020})), 3)
      << "TestReplicaCalcTolerance";
  EXPECT_EQ(cpu(4, 100, pods({1000, 1000, 1000, 1000}, {4000, 9500, 3000, 7000})), 24)
      << "TestReplicaCalcSuperfluousMetrics (the metrics of unknown pods are never passed)";
}

TEST(ReplicaCalculator, MissingMetricsCasesOfUpstream) {
  EXPECT_EQ(cpu(4, 100, pods({1000, 1000, 1000, 1000}, {400, 95})), 3)
      << "TestReplicaCalcMissingMetrics";
  EXPECT_EQ(cpu(2, 100, pods({1000, 1000}, {1000})), 2)
      << "TestReplicaCalcMissingMetricsNoChangeEq";
  EXPECT_EQ(cpu(2, 100, pods({1000, 1000}, {1900})), 2)
      << "TestReplicaCalcMissingMetricsNoChangeGt";
  EXPECT_EQ(cpu(2, 100, pods({1000, 1000}, {600})), 2) << "TestReplicaCalcMissingMetricsNoChangeLt";
  EXPECT_EQ(cpu(3, 50, pods(k1, {100, 450}, {U, R, R})), 3)
      << "TestReplicaCalcMissingMetricsUnreadyChange";
  EXPECT_EQ(cpu(3, 50, pods(k1, {100, 2000}, {U, R, R})), 4)
      << "TestReplicaCalcMissingMetricsUnreadyScaleUp";
  EXPECT_EQ(cpu(4, 50, pods({1000, 1000, 1000, 1000}, {100, 100, 100}, {U, R, R, R})), 3)
      << "TestReplicaCalcMissingMetricsUnreadyScaleDown";
}

TEST(ReplicaCalculator, NoMetricsOrNoRequestsIsAnInvalidMetric) {
  EXPECT_FALSE(resource_utilization_replicas(4, 100, pods(k1, {}), Tolerances{}))
      << "TestReplicaCalcEmptyMetrics";
  EXPECT_FALSE(resource_utilization_replicas(1, 100, pods({0}, {200}), Tolerances{}))
      << "TestReplicaCalcEmptyCPURequest (no request: no utilisation)";
}

TEST(ReplicaCalculator, ComputedToleranceOfUpstream) {
  // TestReplicaCalcComputedToleranceAlgImplementation: 10 pods at 150m of ~300m requested,
  // a target just past the tolerance scales down to 9; one just inside keeps 10.
  const std::vector<std::int64_t> requests = {400, 200, 310, 290, 302, 298, 301, 299, 300, 300};
  const std::vector<std::int64_t> levels(10, 150);
  EXPECT_EQ(cpu(10, 56, pods(requests, levels)), 9);
  EXPECT_EQ(cpu(10, 55, pods(requests, levels)), 10);
}

// Pods metrics ("qps", milli-units): every Running pod counts, ready or not (readiness
// matters for CPU only), as upstream's groupPods.
std::int32_t pods_metric(std::int32_t current, std::int64_t target,
                         const std::vector<std::int64_t>& levels) {
  std::vector<PodSample> p;
  for (std::int64_t v : levels)
    p.push_back({R, v, 0});
  return plain_metric_replicas(current, target, p, Tolerances{}).value_or(-1);
}

TEST(ReplicaCalculator, PodsMetricCasesOfUpstream) {
  EXPECT_EQ(pods_metric(3, 15000, {20000, 10000, 30000}), 4) << "TestReplicaCalcScaleUpCM";
  EXPECT_EQ(pods_metric(3, 15000, {50000, 10000, 30000}), 6)
      << "TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale";
  EXPECT_EQ(pods_metric(3, 15000, {50000, 15000, 30000}), 7)
      << "TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown";
  EXPECT_EQ(pods_metric(5, 20000, {12000, 12000, 12000, 12000, 12000}), 3)
      << "TestReplicaCalcScaleDownCM";
  EXPECT_EQ(pods_metric(3, 20000, {20000, 21000, 21000}), 3) << "TestReplicaCalcToleranceCM";
}

TEST(ReplicaCalculator, ObjectAndExternalCasesOfUpstream) {
  const Tolerances t;
  EXPECT_EQ(value_replicas(3, 20000, 15000, 3, t), 4) << "TestReplicaCalcScaleUpCMObject";
  EXPECT_EQ(value_replicas(3, 50000, 10000, 1, t), 5)
      << "TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods";
  EXPECT_EQ(value_replicas(5, 12000, 20000, 5, t), 3) << "TestReplicaCalcScaleDownCMObject";
  EXPECT_EQ(value_replicas(3, 20666, 20000, 3, t), 3) << "TestReplicaCalcToleranceCMObject";
  EXPECT_EQ(value_replicas(3, 8600, 4400, 1, t), 2)
      << "TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods";
  EXPECT_EQ(value_replicas(5, 8600, 14334, 5, t), 3) << "TestReplicaCalcScaleDownCMExternal";
  EXPECT_EQ(value_replicas(3, 8600, 8888, 3, t), 3) << "TestReplicaCalcToleranceCMExternal";
  EXPECT_EQ(average_value_replicas(3, 20000, 5000, t), 4) << "TestReplicaCalcScaleUpCMPerPodObject";
  EXPECT_EQ(average_value_replicas(5, 6000, 2000, t), 3)
      << "TestReplicaCalcScaleDownPerPodCMObject";
  EXPECT_EQ(average_value_replicas(4, 20166, 5000, t), 4)
      << "TestReplicaCalcTolerancePerPodCMObject";
  EXPECT_EQ(average_value_replicas(3, 8600, 2150, t), 4)
      << "TestReplicaCalcScaleUpPerPodCMExternal";
  EXPECT_EQ(average_value_replicas(5, 8600, 2867, t), 3)
      << "TestReplicaCalcScaleDownPerPodCMExternal";
  EXPECT_EQ(average_value_replicas(3, 8600, 2900, t), 3)
      << "TestReplicaCalcTolerancePerPodCMExternal";
}

// horizontal_test.go's generateScalingRules(pods, podsPeriod, percent, percentPeriod,
// stabilizationWindow): selectPolicy Max, a Pods and/or a Percent policy.
ScalingRules rules(std::int32_t pods, std::int32_t pods_period, std::int32_t percent,
                   std::int32_t percent_period, std::int32_t window) {
  ScalingRules r;
  r.stabilization_window = window * kSecond;
  if (pods != 0) r.policies.push_back({ScalingPolicy::Type::Pods, pods, pods_period * kSecond});
  if (percent != 0) {
    r.policies.push_back({ScalingPolicy::Type::Percent, percent, percent_period * kSecond});
  }
  return r;
}

// generateEventsUniformDistribution(events, 120): the events spread over the last 120 s, each
// in the middle of its segment.
std::deque<ScaleEvent> spread(const std::vector<std::int32_t>& events, SimTime now) {
  std::deque<ScaleEvent> out;
  const double segment = 120.0 / static_cast<double>(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const double ago = 120.0 - segment * static_cast<double>(i + 1) + segment / 2.0;
    out.push_back({now - static_cast<SimTime>(ago * kSecond), events[i]});
  }
  return out;
}

struct RuleCase {
  const char* name;
  std::vector<std::int32_t> up_events, down_events;
  std::int32_t min, max;
  std::optional<ScalingRules> up, down;  // nullopt: upstream's default rules
  std::int32_t current, desired, expected;
};

TEST(HpaBehavior, TestScalingWithRulesOfUpstream) {
  const RuleCase cases[] = {
      {"prenormalized desired replicas within range", {}, {}, 3, 8, {}, {}, 5, 7, 7},
      {"prenormalized desired replicas < minReplicas", {}, {}, 2, 8, {}, {}, 3, 1, 2},
      {"within range when minReplicas is 0", {}, {}, 0, 10, {}, {}, 1, 0, 0},
      {"maxReplicas is the limit because maxReplicas < scaleUpLimit",
       {},
       {},
       1,
       10,
       {},
       {},
       20,
       1000,
       10},
      {"desired replica count is more than the maximum", {}, {}, 100, 150, {}, {}, 100, 1000, 150},
      {"scaleUpLimit < maxReplicas with user policies",
       {},
       {},
       1,
       2000,
       rules(0, 0, 1, 60, 0),
       {},
       3,
       1000,
       4},
      {"scaleUp with default behavior", {}, {}, 1, 1000, {}, {}, 10, 50, 20},
      {"scaleUp with pods policy larger than percent policy",
       {},
       {},
       1,
       1000,
       rules(100, 60, 100, 60, 0),
       {},
       10,
       500,
       110},
      {"scaleUp with percent policy larger than pods policy",
       {},
       {},
       1,
       1000,
       rules(2, 60, 100, 60, 0),
       {},
       10,
       500,
       20},
      {"scaleUp with spec MaxReplicas limitation with large pod policy",
       {},
       {},
       1,
       1000,
       rules(100, 60, 0, 0, 0),
       {},
       10,
       50,
       50},
      {"scaleUp with pod policy limitation",
       {},
       {},
       1,
       1000,
       rules(30, 60, 0, 0, 0),
       {},
       10,
       50,
       40},
      {"scaleUp with percent policy limitation",
       {},
       {},
       1,
       1000,
       rules(0, 0, 200, 60, 0),
       {},
       10,
       50,
       30},
      {"scaleDown with percent policy larger than pod policy",
       {},
       {},
       1,
       1000,
       {},
       rules(20, 60, 1, 60, 300),
       100,
       2,
       80},
      {"scaleDown with pod policy larger than percent policy",
       {},
       {},
       1,
       1000,
       {},
       rules(2, 60, 1, 60, 300),
       100,
       2,
       98},
      {"scaleDown with spec MinReplicas limitation with large pod policy",
       {},
       {},
       1,
       1000,
       {},
       rules(100, 60, 0, 0, 300),
       10,
       0,
       1},
      {"scaleDown with spec MinReplicas limitation with large percent policy",
       {},
       {},
       5,
       1000,
       {},
       rules(0, 0, 100, 60, 300),
       10,
       2,
       5},
      {"scaleDown with pod policy limitation",
       {},
       {},
       1,
       1000,
       {},
       rules(5, 60, 0, 0, 300),
       10,
       2,
       5},
      {"scaleDown with percent policy limitation",
       {},
       {},
       1,
       1000,
       {},
       rules(0, 0, 50, 60, 300),
       10,
       5,
       5},
      {"scaleUp with MaxReplicas limitation, large pod policy and events",
       {1, 5, 9},
       {},
       1,
       200,
       rules(300, 60, 0, 0, 0),
       {},
       100,
       500,
       200},
      {"scaleUp with currentReplicas limitation, a lot of recent scale up events",
       {1, 5, 9},
       {},
       1,
       1000,
       rules(5, 120, 0, 0, 0),
       {},
       100,
       500,
       100},
      {"scaleUp with pod policy and previous scale up events",
       {1, 5, 9},
       {},
       1,
       1000,
       rules(150, 120, 0, 0, 0),
       {},
       100,
       500,
       235},
      {"scaleUp with percent policy and previous scale up events",
       {1, 5, 9},
       {},
       1,
       1000,
       rules(0, 0, 200, 120, 0),
       {},
       100,
       500,
       255},
      {"scaleUp with percent policy and previous scale up and down events",
       {4},
       {2},
       1,
       1000,
       rules(0, 0, 300, 300, 0),
       {},
       6,
       24,
       16},
      {"scaleDown with default policy and previous events",
       {},
       {1, 5, 9},
       1,
       1000,
       {},
       {},
       10,
       5,
       5},
      {"scaleDown with spec MinReplicas=nil limitation, large pod policy, events",
       {},
       {1, 5, 9},
       1,
       1000,
       {},
       rules(115, 120, 0, 0, 300),
       100,
       0,
       1},
      {"scaleDown with spec MinReplicas limitation, large pod policy, events",
       {},
       {1, 5, 9},
       5,
       1000,
       {},
       rules(130, 120, 0, 0, 300),
       100,
       0,
       5},
      {"scaleDown with MinReplicas limitation, large percent policy, events",
       {},
       {1, 5, 9},
       5,
       1000,
       {},
       rules(0, 0, 100, 120, 300),
       100,
       2,
       5},
      {"scaleDown with pod policy limitation and previous events",
       {},
       {1, 5, 9},
       1,
       1000,
       {},
       rules(5, 120, 0, 0, 300),
       100,
       2,
       100},
      {"scaleDown with percent policy limitation and previous events",
       {},
       {2, 4, 6},
       1,
       1000,
       {},
       rules(0, 0, 50, 120, 300),
       100,
       0,
       56},
      {"scaleDown with percent policy and previous scale up and down events",
       {2},
       {4},
       1,
       1000,
       {},
       rules(0, 0, 50, 180, 0),
       10,
       1,
       6},
      {"scaleDown with previous events preventing further scale down",
       {},
       {10, 10, 10},
       1,
       1000,
       {},
       rules(0, 0, 10, 120, 300),
       100,
       0,
       100},
      {"scaleDown with previous events still allowing more scale down",
       {},
       {10, 10, 10},
       1,
       1000,
       {},
       rules(0, 0, 1000, 120, 300),
       10,
       5,
       5},
      {"check 'outdated' flag for events for one behavior for up",
       {8, 12, 9, 11},
       {},
       1,
       1000,
       rules(1000, 60, 0, 0, 0),
       {},
       100,
       200,
       200},
      {"events not marked 'outdated' for two policies, up",
       {8, 12, 9, 11},
       {},
       1,
       1000,
       rules(1000, 120, 100, 60, 0),
       {},
       100,
       200,
       200},
      {"check 'outdated' flag for events for one behavior for down",
       {},
       {8, 12, 9, 11},
       1,
       1000,
       {},
       rules(1000, 60, 0, 0, 300),
       100,
       5,
       5},
  };
  const SimTime now = 3600 * kSecond;
  for (const RuleCase& c : cases) {
    Behavior b;
    if (c.up) b.scale_up = *c.up;
    if (c.down) b.scale_down = *c.down;
    ScaleHistory h{spread(c.up_events, now), spread(c.down_events, now)};
    if (c.up_events.empty()) h.up.clear();
    if (c.down_events.empty()) h.down.clear();
    EXPECT_EQ(rate_limited(b, c.min, c.max, now, c.current, c.desired, h), c.expected) << c.name;
  }
}

TEST(HpaBehavior, SelectPolicyDisabledForbidsTheDirection) {
  // calculateScaleUpLimitWithScalingRules / ...ScaleDownLimit...: Disabled returns the current
  // replicas, so the direction never moves while the other still does.
  Behavior b;
  b.scale_up.select = ScalingRules::Select::disabled;
  EXPECT_EQ(rate_limited(b, 1, 100, 0, 5, 50, {}), 5);
  EXPECT_EQ(rate_limited(b, 1, 100, 0, 5, 2, {}), 2);
  Behavior down;
  down.scale_down.select = ScalingRules::Select::disabled;
  EXPECT_EQ(rate_limited(down, 1, 100, 0, 5, 2, {}), 5);
  EXPECT_EQ(rate_limited(down, 1, 100, 0, 5, 9, {}), 9);
}

TEST(HpaBehavior, SelectPolicyMinTakesTheSmallestChange) {
  // TestScalingWithRules has no Min case; upstream's own comment: "for scaling up, the lowest
  // change ('min' policy) produces a minimum value". From 10: +4 pods or +100 % -> 14.
  Behavior b;
  b.scale_up.select = ScalingRules::Select::min;
  EXPECT_EQ(rate_limited(b, 1, 1000, 0, 10, 50, {}), 14);
  // Scaling down from 100 with -2 pods or -50 %: Min takes -2 -> 98, Max -50 % -> 50.
  Behavior d;
  d.scale_down = rules(2, 60, 50, 60, 0);
  d.scale_down.select = ScalingRules::Select::min;
  EXPECT_EQ(rate_limited(d, 1, 1000, 0, 100, 1, {}), 98);
  d.scale_down.select = ScalingRules::Select::max;
  EXPECT_EQ(rate_limited(d, 1, 1000, 0, 100, 1, {}), 50);
}

TEST(HpaLegacy, TestNormalizeDesiredReplicasOfUpstream) {
  // The 5-minute window; recommendations in the order the controller records them.
  const SimTime now = 3600 * kSecond;
  const SimTime window = 300 * kSecond;
  std::deque<Recommendation> empty;
  EXPECT_EQ(stabilize_legacy(empty, now, window, 5), 5) << "empty log";
  std::deque<Recommendation> recent = {{now - 120 * kSecond, 4}, {now - 60 * kSecond, 5}};
  EXPECT_EQ(stabilize_legacy(recent, now, window, 3), 5) << "stabilize";
  std::deque<Recommendation> low = {{now - 120 * kSecond, 1}, {now - 60 * kSecond, 2}};
  EXPECT_EQ(stabilize_legacy(low, now, window, 3), 3) << "no stabilize";
  std::deque<Recommendation> old = {{now - 600 * kSecond, 10}, {now - 540 * kSecond, 9}};
  EXPECT_EQ(stabilize_legacy(old, now, window, 3), 3) << "no stabilize - old recommendations";
  std::deque<Recommendation> mixed = {{now - 600 * kSecond, 10},
                                      {now - 540 * kSecond, 9},
                                      {now - 120 * kSecond, 5},
                                      {now - 60 * kSecond, 4}};
  EXPECT_EQ(stabilize_legacy(mixed, now, window, 3), 5) << "stabilize - old recommendations";
}

HpaConfig config(std::int32_t min, std::int32_t max) {
  HpaConfig c;
  c.min_replicas = min;
  c.max_replicas = max;
  return c;
}

TEST(Hpa, LegacyPathCapsAScaleUpAtTwiceTheReplicasOrFour) {
  // Without spec.behavior: calculateScaleUpLimit = max(2 x current, 4), per sync.
  Hpa hpa(config(1, 100));
  EXPECT_EQ(hpa.sync(15 * kSecond, 1, {50}), 4);
  EXPECT_EQ(hpa.sync(30 * kSecond, 4, {50}), 8);
  EXPECT_EQ(hpa.sync(45 * kSecond, 8, {50}), 16);
}

TEST(Hpa, LegacyPathScalesDownOnlyToTheHighestOfTheLastFiveMinutes) {
  Hpa hpa(config(1, 100));
  EXPECT_EQ(hpa.sync(15 * kSecond, 10, {10}), 10);
  EXPECT_EQ(hpa.sync(30 * kSecond, 10, {3}), 10) << "10 was recommended 15 s ago";
  EXPECT_EQ(hpa.sync(315 * kSecond, 10, {3}), 10) << "15 s is exactly 300 s ago: not older";
  EXPECT_EQ(hpa.sync(316 * kSecond, 10, {3}), 3) << "the 10s are older than 300 s";
}

TEST(Hpa, BehaviorPathUsesTheRecordedScaleEventsOfEarlierSyncs) {
  // Default behavior: +max(4 pods, 100 %) per 15 s. From 2: 6 at the first sync; the next
  // sync 15 s later starts a new period (events strictly inside the last 15 s count).
  HpaConfig c = config(1, 100);
  c.behavior = Behavior{};
  Hpa hpa(c);
  EXPECT_EQ(hpa.sync(15 * kSecond, 2, {50}), 6);
  EXPECT_EQ(hpa.sync(20 * kSecond, 6, {50}), 6) << "+4 already used in this period";
  EXPECT_EQ(hpa.sync(30 * kSecond, 6, {50}), 12);
}

TEST(Hpa, ScaleUpStabilizationWindowTakesTheLowestRecentRecommendation) {
  HpaConfig c = config(1, 100);
  c.behavior = Behavior{};
  c.behavior->scale_up.stabilization_window = 60 * kSecond;
  Hpa hpa(c);
  EXPECT_EQ(hpa.sync(15 * kSecond, 2, {2}), 2);
  EXPECT_EQ(hpa.sync(30 * kSecond, 2, {8}), 2) << "the lowest in the window is 2";
  EXPECT_EQ(hpa.sync(80 * kSecond, 2, {8}), 6) << "2s are out; 8 limited to +4 pods";
}

TEST(Hpa, SeveralMetricsTakeTheLargestAndAnInvalidOneBlocksScaleDown) {
  // computeReplicasForMetrics.
  HpaConfig c = config(1, 100);
  c.behavior = Behavior{};
  c.behavior->scale_down.stabilization_window = 0;
  Hpa hpa(c);
  EXPECT_EQ(hpa.sync(15 * kSecond, 4, {3, 7, 5}), 7);
  EXPECT_EQ(hpa.sync(30 * kSecond, 7, {std::nullopt, 2}), 7) << "would scale down: blocked";
  EXPECT_EQ(hpa.sync(45 * kSecond, 7, {std::nullopt, 9}), 9) << "a scale-up still happens";
  EXPECT_EQ(hpa.sync(60 * kSecond, 9, {std::nullopt}), 9) << "every metric invalid";
}

TEST(Hpa, OutOfRangeTargetsAreBroughtBackWithoutMetrics) {
  Hpa hpa(config(2, 10));
  EXPECT_EQ(hpa.sync(15 * kSecond, 12, {1}), 10) << "above maxReplicas";
  EXPECT_EQ(hpa.sync(30 * kSecond, 1, {50}), 2) << "below minReplicas";
  EXPECT_EQ(hpa.sync(45 * kSecond, 0, {50}), 0) << "0 replicas with minReplicas > 0: disabled";
}

}  // namespace
}  // namespace kt::autoscaling
