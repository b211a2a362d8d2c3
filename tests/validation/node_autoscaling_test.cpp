// The node autoscalers against what their upstream documentation says they do, on fleets
// small enough to work out by hand: which nodes a burst of pending pods adds and when, when
// an idle node goes, what the delay after a scale-up holds back, a pod no node template can
// take, Karpenter's consolidation, and that cost is the integral of the nodes that existed.

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "engine/simulation.hpp"
#include "models/cluster/cluster_autoscaler.hpp"
#include "models/cluster/fleet_core.hpp"
#include "models/cluster/fleet_metrics.hpp"
#include "models/cluster/fleet_model.hpp"
#include "models/cluster/karpenter.hpp"
#include "models/cluster/node_lifecycle.hpp"
#include "models/cluster/replica_controller.hpp"
#include "models/workload/arrival_source.hpp"
#include "series_column.hpp"

namespace kt::models {
namespace {

// Sets Deployments' desired counts at chosen times.
class Script final : public FleetComponent {
 public:
  struct Step {
    SimTime at;
    std::uint32_t deployment;
    std::int32_t desired;
  };
  Script(FleetCore& core, std::vector<Step> steps)
      : FleetComponent(core), steps_(std::move(steps)) {}
  void start() override {
    for (std::size_t i = 0; i < steps_.size(); ++i)
      schedule_at(steps_[i].at, 0, i);
  }
  void handle(EventKind, std::uint64_t i, std::uint16_t) override {
    core_.set_desired(steps_[i].deployment, steps_[i].desired);
    core_.after_change();
  }

 private:
  std::vector<Step> steps_;
};

FleetDeployment deployment(const char* name, std::int64_t cpu_milli, std::uint32_t replicas) {
  FleetDeployment d;
  d.name = name;
  d.cpu_milli = cpu_milli;
  d.memory_bytes = 1LL << 30;
  d.replicas = replicas;
  d.places = {0};
  return d;
}

NodePoolConfig pool(const char* name, std::uint32_t count, std::int64_t cpu_milli, double price,
                    NodeAutoscaler autoscaler, std::uint32_t min, std::uint32_t max) {
  NodePoolConfig p;
  p.name = name;
  p.count = count;
  p.cpu_milli = cpu_milli;
  p.memory_bytes = 16LL << 30;
  p.price_usd_per_hour = price;
  p.scaling.autoscaler = autoscaler;
  p.scaling.min = min;
  p.scaling.max = max;
  p.scaling.provisioning = Distribution::deterministic(65.0);
  return p;
}

FleetConfig fleet(std::vector<NodePoolConfig> pools, std::vector<FleetDeployment> deployments) {
  FleetConfig c;
  c.duration = 2 * kHour;
  c.places = {{"us-east", false, 0}};
  c.pools = std::move(pools);
  c.deployments = std::move(deployments);
  FleetWorkload w;  // a trickle of requests, so that the run has a workload
  w.name = "users";
  w.arrival.process = ArrivalConfig::Process::poisson;
  w.arrival.rate_per_s = 0.1;
  w.service_time = Distribution::deterministic(0.01);
  c.workloads = {w};
  c.timings.image_pull = Distribution::deterministic(0.001);
  c.timings.container_start = Distribution::deterministic(0.001);
  return c;
}

// One replication's fleet with the ReplicaSet controller, both node autoscalers and a
// script, run forward in steps so that the state can be read in between.
class Rig {
 public:
  explicit Rig(const FleetConfig& config, std::vector<Script::Step> script = {})
      : config_(config),
        sim_(7, 0),
        core_(config_),
        replicas_(core_),
        nodes_(core_),
        script_(core_, std::move(script)),
        metrics_(core_),
        ca_(core_),
        karpenter_(core_) {
    core_.seed_routing(7, 0);
    core_.add(replicas_, 7, 0);
    core_.add(nodes_, 7, 0);
    core_.add(script_, 7, 0);
    core_.add(metrics_, 7, 0);
    if (ca_.active()) core_.add(ca_, 7, 0);
    if (karpenter_.active()) core_.add(karpenter_, 7, 0);
    for (std::uint32_t d = 0; d < config_.deployments.size(); ++d)
      core_.set_owner(d, replicas_);
    const LpId id = sim_.add(core_);
    std::vector<ArrivalFeed> feeds;
    for (const FleetWorkload& w : config_.workloads)
      feeds.push_back({&w.arrival, id, &w.service_time});
    sources_ = add_arrival_sources(sim_, feeds, FleetCore::kArrive, config_.duration, 1, 0);
    core_.start(sim_, id);
  }
  FleetCore& at(SimTime t) {
    sim_.run_until(t);
    return core_;
  }
  TimeSeries series() { return metrics_.take_series(); }
  // Registered nodes of pool `p` that are still in the cluster.
  std::uint32_t registered(std::int32_t p) const {
    std::uint32_t n = 0;
    for (std::uint32_t node = 0; node < core_.node_count(); ++node)
      n += core_.node_pool(node) == p && !core_.node_removed(node) ? 1 : 0;
    return n;
  }

 private:
  FleetConfig config_;
  Simulation sim_;
  FleetCore core_;
  ReplicaController replicas_;
  NodeLifecycle nodes_;
  Script script_;
  FleetMetrics metrics_;
  ClusterAutoscaler ca_;
  Karpenter karpenter_;
  std::vector<std::unique_ptr<ArrivalSource>> sources_;
};

constexpr auto kCa = NodeAutoscaler::cluster_autoscaler;

// Six pods of 1.5 CPU and four of 1 CPU on 4-CPU nodes. First fit, largest first, by hand:
// n1 1.5+1.5+1, n2 1.5+1.5+1, n3 1.5+1.5+1, n4 1 -> four nodes (13 CPU need at least four).
// The first scan (10 s) launches them; they register 65 s later, at 75 s.
FleetConfig burst() {
  return fleet({pool("burst", 0, 4000, 0.2, kCa, 0, 10)},
               {deployment("Deployment/a", 1500, 6), deployment("Deployment/b", 1000, 4)});
}

TEST(ClusterAutoscaler, ABurstAddsTheNodesFirstFitNeedsAfterTheProvisioningDelay) {
  Rig rig(burst());
  FleetCore& core = rig.at(9 * kSecond);
  EXPECT_EQ(core.pending_count(), 10u);
  EXPECT_EQ(core.pool_runtime(0).nodes.current(), 0.0) << "launched before the first scan";
  rig.at(74 * kSecond);
  EXPECT_EQ(core.pool_runtime(0).nodes.current(), 4.0) << "the estimate: four 4-CPU nodes";
  EXPECT_EQ(rig.registered(0), 0u) << "a node registered before its provisioning delay";
  EXPECT_EQ(core.pending_count(), 10u);
  rig.at(76 * kSecond);
  EXPECT_EQ(rig.registered(0), 4u);
  EXPECT_EQ(core.pending_count(), 0u);
  rig.at(kHour);
  EXPECT_EQ(core.pool_runtime(0).provisioned, 4u) << "more nodes than the pods need";
  EXPECT_EQ(core.pool_runtime(0).removed, 0u) << "a needed node (75 % requested) was removed";
}

// Deployment b goes to zero at 305 s: the node holding only a b pod is empty from then on
// (the others keep 3 of 4 CPU requested, above the 0.5 threshold). Unneeded from the scan at
// 310 s, it goes at the first scan 10 minutes later, 910 s, and not before.
TEST(ClusterAutoscaler, AnIdleNodeGoesAfterTenMinutesUnneededNotBefore) {
  Rig rig(burst(), {{305 * kSecond, 1, 0}});
  FleetCore& core = rig.at(905 * kSecond);
  EXPECT_EQ(rig.registered(0), 4u) << "removed before scale-down-unneeded-time (10 min)";
  EXPECT_EQ(core.pool_runtime(0).nodes.current(), 4.0);
  rig.at(915 * kSecond);
  EXPECT_EQ(rig.registered(0), 3u);
  EXPECT_EQ(core.pool_runtime(0).nodes.current(), 3.0);
  rig.at(kHour);
  EXPECT_EQ(rig.registered(0), 3u) << "a node with 75 % requested was removed";
  EXPECT_EQ(core.pending_count(), 0u);
}

// An empty node of a second pool (tainted, so no pod lands there) is unneeded from the start;
// with scale-down-unneeded-time at 1 min it would go at 80 s, but the burst's scale-up at
// 10 s holds every scale-down back until 610 s (scale-down-delay-after-add, 10 min).
FleetConfig burst_and_idle_node() {
  FleetConfig c = burst();
  NodePoolConfig idle = pool("idle", 1, 4000, 0.2, kCa, 0, 1);
  idle.taints = {{"dedicated", "other", k8s::TaintEffect::NoSchedule}};
  c.pools.push_back(idle);
  c.cluster_autoscaler.scale_down_unneeded_time = kMinute;
  return c;
}

TEST(ClusterAutoscaler, NoScaleDownWithinTenMinutesOfAScaleUp) {
  Rig rig(burst_and_idle_node());
  rig.at(605 * kSecond);
  EXPECT_EQ(rig.registered(1), 1u) << "scaled down within scale-down-delay-after-add";
  rig.at(615 * kSecond);
  EXPECT_EQ(rig.registered(1), 0u) << "still there once the delay after the scale-up passed";
}

// The same idle node without a burst goes once it has been unneeded for the minute: what
// held it back above was the scale-up, not the unneeded time.
TEST(ClusterAutoscaler, WithoutAScaleUpTheIdleNodeGoesAfterItsUnneededTime) {
  FleetConfig c = burst_and_idle_node();
  c.deployments[0].replicas = 0;
  c.deployments[1].replicas = 0;
  Rig rig(c);
  rig.at(65 * kSecond);
  EXPECT_EQ(rig.registered(1), 1u);  // unneeded from 10 s: not a minute yet
  rig.at(75 * kSecond);
  EXPECT_EQ(rig.registered(1), 0u);
}

// An 8-CPU pod fits no 4-CPU template, and a pod whose nodeSelector no pool's labels match
// fits none either: neither triggers a scale-up; both are reported.
TEST(ClusterAutoscaler, APodThatFitsNoTemplateNeverTriggersAScaleUpAndIsReported) {
  FleetConfig c =
      fleet({pool("small", 0, 4000, 0.2, kCa, 0, 10)},
            {deployment("Deployment/huge", 8000, 1), deployment("Deployment/picky", 500, 1)});
  c.deployments[1].node_selector = {{"gpu", "true"}};
  Rig rig(c);
  FleetCore& core = rig.at(kHour);
  EXPECT_EQ(core.pool_runtime(0).provisioned, 0u);
  EXPECT_EQ(core.pool_runtime(0).nodes.max(), 0.0);
  EXPECT_EQ(core.pending_count(), 2u);
  MetricMap m;
  core.export_metrics(kHour, m);
  EXPECT_EQ(m["pods.unschedulable"], 2.0);
}

// The same pods with a pool whose template can take them: the check above fails only through
// the template (here the 8-CPU pod gets a node of its own and the picky one a labelled one).
TEST(ClusterAutoscaler, APodThatFitsATemplateDoesTriggerAScaleUp) {
  NodePoolConfig big = pool("big", 0, 16000, 0.8, kCa, 0, 10);
  big.labels = {{"gpu", "true"}};
  FleetConfig c =
      fleet({pool("small", 0, 4000, 0.2, kCa, 0, 10), big},
            {deployment("Deployment/huge", 8000, 1), deployment("Deployment/picky", 500, 1)});
  c.deployments[1].node_selector = {{"gpu", "true"}};
  Rig rig(c);
  FleetCore& core = rig.at(kHour);
  EXPECT_EQ(core.pending_count(), 0u);
  EXPECT_EQ(core.pool_runtime(1).provisioned, 1u) << "one 16-CPU node takes both";
  MetricMap m;
  core.export_metrics(kHour, m);
  EXPECT_EQ(m["pods.unschedulable"], 0.0);
}

// Karpenter: two 8-CPU nodes ($0.40/h each) hold two 1-CPU pods each (the scheduler spreads
// them). With a budget that allows both at once, multi-node consolidation replaces the two by
// one node of the cheapest type that holds all four pods: the 4-CPU one at $0.20/h.
FleetConfig half_empty_pair(double budget) {
  NodePoolConfig p = pool("flex", 2, 8000, 0.4, NodeAutoscaler::karpenter, 0, 10);
  p.scaling.instance_types = {{"small", 4000, 16LL << 30, 0.2}, {"large", 8000, 16LL << 30, 0.4}};
  p.scaling.provisioning = Distribution::deterministic(30.0);
  FleetConfig c = fleet({p}, {deployment("Deployment/web", 1000, 4)});
  c.karpenter.budget_share = budget;
  return c;
}

TEST(Karpenter, ConsolidationReplacesTwoHalfEmptyNodesByOne) {
  Rig rig(half_empty_pair(1.0));
  FleetCore& core = rig.at(9 * kSecond);
  ASSERT_EQ(core.pods_on(0).size(), 2u) << "the scheduler did not spread the pods";
  ASSERT_EQ(core.pods_on(1).size(), 2u);
  rig.at(kHour);
  EXPECT_EQ(rig.registered(0), 1u);
  EXPECT_EQ(core.pool_runtime(0).provisioned, 1u) << "not replaced by a single node";
  EXPECT_EQ(core.pool_runtime(0).removed, 2u);
  EXPECT_DOUBLE_EQ(core.pool_runtime(0).price_rate.current(), 0.2) << "not the cheapest type";
  EXPECT_EQ(core.pending_count(), 0u);
  EXPECT_EQ(core.deployment(0).ready, 4u);
}

// With Karpenter's default budget (10 % of the pool, rounded up: one node at a time) the
// same pair is consolidated one node at a time: one deleted (its pods fit on the other), then
// the other replaced by the cheaper type. The end is the same single $0.20 node.
TEST(Karpenter, TheDefaultBudgetConsolidatesOneNodeAtATime) {
  Rig rig(half_empty_pair(0.1));
  FleetCore& core = rig.at(kHour);
  EXPECT_EQ(rig.registered(0), 1u);
  EXPECT_EQ(core.pool_runtime(0).removed, 2u);
  EXPECT_EQ(core.pool_runtime(0).provisioned, 1u);
  EXPECT_DOUBLE_EQ(core.pool_runtime(0).price_rate.current(), 0.2);
  EXPECT_EQ(core.deployment(0).ready, 4u);
}

// Karpenter's provisioning of the burst above, with a 4-CPU ($0.20) and a 16-CPU ($0.70)
// type: one claim takes pods until no type fits; all thirteen CPUs fit one 16-CPU node,
// cheaper than four 4-CPU ones ($0.80).
TEST(Karpenter, ABatchOfPendingPodsGetsTheCheapestTypesThatHoldThem) {
  FleetConfig c = burst();
  c.pools[0].scaling.autoscaler = NodeAutoscaler::karpenter;
  c.pools[0].scaling.instance_types = {{"small", 4000, 16LL << 30, 0.2},
                                       {"xlarge", 16000, 64LL << 30, 0.7}};
  Rig rig(c);
  FleetCore& core = rig.at(kHour);
  EXPECT_EQ(core.pool_runtime(0).provisioned, 1u);
  EXPECT_DOUBLE_EQ(core.pool_runtime(0).price_rate.max(), 0.7);
  EXPECT_EQ(core.pending_count(), 0u);
}

// A claim launches the cheapest of the types that still fit, wherever it is listed: two
// 1-CPU pods fit every type, and the 4-CPU one (listed second) is the cheapest.
TEST(Karpenter, AClaimLaunchesTheCheapestTypeThatFits) {
  FleetConfig c = fleet({pool("flex", 0, 4000, 0.2, NodeAutoscaler::karpenter, 0, 10)},
                        {deployment("Deployment/web", 1000, 2)});
  c.pools[0].scaling.instance_types = {{"medium", 8000, 32LL << 30, 0.4},
                                       {"small", 4000, 16LL << 30, 0.2},
                                       {"xlarge", 16000, 64LL << 30, 0.7}};
  Rig rig(c);
  FleetCore& core = rig.at(kHour);
  EXPECT_EQ(core.pool_runtime(0).provisioned, 1u);
  EXPECT_DOUBLE_EQ(core.pool_runtime(0).price_rate.max(), 0.2);
  EXPECT_EQ(core.pending_count(), 0u);
}

// Cost is node-seconds x price: the time series' cost rate is the node count times the price
// at every sample, and its integral over the 10 s samples agrees with cost.compute_usd to
// within what sampling can miss (each change of the count can shift it by one interval of one
// node's price). The script makes nodes come and go.
TEST(NodeAutoscaling, CostIsTheIntegralOfNodeCountTimesPrice) {
  FleetConfig c = burst();
  c.duration = 3 * kHour;
  c.sample_interval = 10 * kSecond;
  Rig rig(
      c, {{20 * kMinute, 0, 0}, {40 * kMinute, 0, 6}, {90 * kMinute, 1, 0}, {100 * kMinute, 0, 2}});
  FleetCore& core = rig.at(c.duration);
  MetricMap m;
  core.export_metrics(c.duration, m);
  ASSERT_GE(core.pool_runtime(0).removed, 2u) << "the script should make nodes go";
  RunOutput out;
  out.series = rig.series();
  const std::vector<double> time = column(out, "time_s");
  const std::vector<double> rate = column(out, "cost_usd_per_hour");
  const std::vector<double> nodes = column(out, "nodes.count");
  ASSERT_EQ(time.size(), rate.size());
  double integral = 0;
  std::size_t changes = 0;
  for (std::size_t i = 0; i < time.size(); ++i) {
    EXPECT_NEAR(rate[i], nodes[i] * 0.2, 1e-9) << "at " << time[i] << " s";
    const double next = i + 1 < time.size() ? time[i + 1] : to_seconds(c.duration);
    integral += rate[i] * (next - time[i]) / 3600.0;
    if (i > 0 && nodes[i] != nodes[i - 1]) ++changes;
  }
  const double compute = m["cost.compute_usd"];
  EXPECT_NEAR(compute, integral, (static_cast<double>(changes) + 1) * 0.2 * 10.0 / 3600.0);
  EXPECT_NEAR(compute, core.pool_runtime(0).nodes.mean(c.duration) * 0.2 * 3.0, 1e-9);
  // Against the fixed fleet's price for the most nodes it ever had, it saved money.
  EXPECT_LT(compute, core.pool_runtime(0).nodes.max() * 0.2 * 3.0 - 0.1);
}

}  // namespace
}  // namespace kt::models
