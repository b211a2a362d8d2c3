// The scheduler against kube-scheduler's documented algorithm (v1.28 default profile):
// numFeasibleNodesToFind, the NodeResourcesFit / BalancedAllocation / TaintToleration scores,
// filtering by resources, nodeSelector and taints, and the rotating start node.

#include <gtest/gtest.h>

#include "engine/random.hpp"
#include "models/scheduling/scheduler.hpp"

namespace kt::scheduling {
namespace {

constexpr std::int64_t kGi = 1024LL * 1024 * 1024;

NodeShape node(std::int64_t cpu_milli, std::int64_t mem_bytes, k8s::Labels labels = {},
               std::vector<k8s::Taint> taints = {}) {
  NodeShape s;
  s.cpu_milli = cpu_milli;
  s.memory_bytes = mem_bytes;
  s.labels = std::move(labels);
  s.taints = std::move(taints);
  return s;
}

PodSpecView pod(std::int64_t cpu_milli, std::int64_t mem_bytes) {
  PodSpecView p;
  p.cpu_milli = cpu_milli;
  p.memory_bytes = mem_bytes;
  return p;
}

TEST(FeasibleNodesToFind, FollowsUpstreamAdaptivePercentage) {
  EXPECT_EQ(feasible_nodes_to_find(50, 0), 50);        // below 100: all nodes
  EXPECT_EQ(feasible_nodes_to_find(100, 0), 100);      // 50 % of 100 is 50, raised to 100
  EXPECT_EQ(feasible_nodes_to_find(1000, 0), 420);     // 50 - 1000/125 = 42 %
  EXPECT_EQ(feasible_nodes_to_find(5000, 0), 500);     // 50 - 40 = 10 %
  EXPECT_EQ(feasible_nodes_to_find(6000, 0), 300);     // 50 - 48 = 2 %, raised to 5 %
  EXPECT_EQ(feasible_nodes_to_find(100000, 0), 5000);  // 5 %
  EXPECT_EQ(feasible_nodes_to_find(1000, 30), 300);    // an explicit percentage
  EXPECT_EQ(feasible_nodes_to_find(1000, 5), 100);     // never below 100
}

TEST(Scores, LeastAllocatedIsIntegerFreeFraction) {
  EXPECT_EQ(least_allocated_score(2000, 4000), 50);
  EXPECT_EQ(least_allocated_score(1000, 3000), 66);  // 2000*100/3000 = 66.67 truncated
  EXPECT_EQ(least_allocated_score(0, 4000), 100);
  EXPECT_EQ(least_allocated_score(5000, 4000), 0);  // over-requested scores 0
}

TEST(Scores, MostAllocatedIsIntegerUsedFraction) {
  EXPECT_EQ(most_allocated_score(3000, 4000), 75);
  EXPECT_EQ(most_allocated_score(1000, 3000), 33);
  EXPECT_EQ(most_allocated_score(5000, 4000), 100);  // capped
}

TEST(Scores, BalancedAllocationIsOneMinusStdDev) {
  EXPECT_EQ(balanced_allocation_score(0.5, 0.5), 100);
  EXPECT_EQ(balanced_allocation_score(0.5, 0.25), 87);  // std 0.125 -> 87.5 truncated
  EXPECT_EQ(balanced_allocation_score(1.0, 0.0), 50);
  EXPECT_EQ(balanced_allocation_score(1.4, 0.6), 80);  // fractions capped at 1
}

TEST(Scheduling, LeastAllocatedPrefersTheEmptierNodeWithUpstreamTotals) {
  NodeTable nodes;
  nodes.add(node(4000, 8 * kGi));
  nodes.add(node(4000, 8 * kGi));
  Scheduler s(nodes, {});
  PreparedPod big = s.prepare(pod(2000, 2 * kGi));
  ASSERT_EQ(s.schedule(big), 0u);  // tie: first in scan order
  // Node 0 now has 2000m/2Gi; a 1000m/1Gi pod: node 0 fit = ((4000-3000)*100/4000 +
  // (8-3)*100/8)/2 = (25+62)/2 = 43, node 1 fit = (75+87)/2 = 81; node 1 wins.
  PreparedPod small = s.prepare(pod(1000, 1 * kGi));
  EXPECT_EQ(s.schedule(small), 1u);
}

TEST(Scheduling, MostAllocatedPacks) {
  NodeTable nodes;
  nodes.add(node(4000, 8 * kGi));
  nodes.add(node(4000, 8 * kGi));
  SchedulerConfig config;
  config.strategy = ScoringStrategy::most_allocated;
  Scheduler s(nodes, config);
  PreparedPod p = s.prepare(pod(1000, 1 * kGi));
  // The rotating start moves past node 0 after the first cycle (2 nodes processed, so the
  // start wraps back to 0), and the fuller node wins each time.
  EXPECT_EQ(s.schedule(p), 0u);
  EXPECT_EQ(s.schedule(p), 0u);
  EXPECT_EQ(s.schedule(p), 0u);
}

TEST(Scheduling, BestEffortPodsScoreWithUpstreamNonZeroDefaults) {
  NodeTable nodes;
  nodes.add(node(1000, 1 * kGi));
  Scheduler s(nodes, {});
  PreparedPod p = s.prepare(pod(0, 0));
  EXPECT_EQ(p.cpu_nonzero, 100);
  EXPECT_EQ(p.memory_nonzero, 200LL * 1024 * 1024);
  ASSERT_EQ(s.schedule(p), 0u);
  // Filtering books nothing for a BestEffort pod, scoring counts 100m / 200Mi.
  EXPECT_EQ(nodes.cpu_free_[0], 1000);
  EXPECT_EQ(nodes.cpu_nonzero_req_[0], 100);
}

// Lt and Gt tolerations compare the taint's value with the toleration's as decimal integers,
// as upstream's ToleratesTaint does behind TaintTolerationComparisonOperators (k8s.io/api
// core/v1 toleration.go): Lt tolerates a smaller taint value, Gt a larger one; values that
// are not decimal integers (leading zeros included) tolerate nothing.
TEST(Tolerations, LtAndGtCompareNumerically) {
  const auto taint = [](const std::string& v) {
    return k8s::Taint{"node.example.com/sla", v, k8s::TaintEffect::NoSchedule};
  };
  k8s::Toleration lt;
  lt.key = "node.example.com/sla";
  lt.op = k8s::Toleration::Op::Lt;
  lt.value = "950";
  EXPECT_TRUE(lt.tolerates(taint("900")));
  EXPECT_FALSE(lt.tolerates(taint("950")));
  EXPECT_FALSE(lt.tolerates(taint("999")));
  EXPECT_TRUE(lt.tolerates(taint("-5")));
  EXPECT_FALSE(lt.tolerates(taint("0900"))) << "leading zeros are not a decimal integer";
  EXPECT_FALSE(lt.tolerates(taint("high")));
  k8s::Toleration gt = lt;
  gt.op = k8s::Toleration::Op::Gt;
  EXPECT_TRUE(gt.tolerates(taint("999")));
  EXPECT_FALSE(gt.tolerates(taint("950")));
  EXPECT_FALSE(gt.tolerates(taint("900")));
  // Through the scheduler: a pod that tolerates SLA values below 950 lands on the 900 node.
  NodeTable nodes;
  nodes.add(node(4000, 8 * kGi, {}, {taint("990")}));
  nodes.add(node(4000, 8 * kGi, {}, {taint("900")}));
  Scheduler s(nodes, {});
  PodSpecView p = pod(100, kGi);
  p.tolerations = {lt};
  PreparedPod prepared = s.prepare(p);
  EXPECT_EQ(s.schedule(prepared), 1u);
}

TEST(Filtering, NodeSelectorAndTaints) {
  NodeTable nodes;
  const k8s::Taint quantum{"quantum-workload", "true", k8s::TaintEffect::NoSchedule};
  const k8s::Taint evict{"node.kubernetes.io/unreachable", "", k8s::TaintEffect::NoExecute};
  nodes.add(node(4000, 8 * kGi, {{"node-type", "cloud"}}));
  nodes.add(node(4000, 8 * kGi, {{"node-type", "quantum"}}, {quantum}));
  nodes.add(node(4000, 8 * kGi, {{"node-type", "edge"}}, {evict}));
  Scheduler s(nodes, {});
  PodSpecView wants_quantum = pod(100, kGi);
  wants_quantum.node_selector = {{"node-type", "quantum"}};
  PreparedPod q = s.prepare(wants_quantum);
  EXPECT_FALSE(s.schedule(q).has_value()) << "the NoSchedule taint is not tolerated";
  k8s::Toleration tol;
  tol.key = "quantum-workload";
  tol.value = "true";
  tol.effect = k8s::TaintEffect::NoSchedule;
  wants_quantum.tolerations = {tol};
  PreparedPod q2 = s.prepare(wants_quantum);
  EXPECT_EQ(s.schedule(q2), 1u);
  PodSpecView wants_edge = pod(100, kGi);
  wants_edge.node_selector = {{"node-type", "edge"}};
  PreparedPod e = s.prepare(wants_edge);
  EXPECT_FALSE(s.schedule(e).has_value()) << "NoExecute taints filter too";
  k8s::Toleration any;
  any.op = k8s::Toleration::Op::Exists;  // empty key + Exists tolerates everything
  wants_edge.tolerations = {any};
  PreparedPod e2 = s.prepare(wants_edge);
  EXPECT_EQ(s.schedule(e2), 2u);
}

TEST(Filtering, RequiredNodeAffinityTermsAreOredExpressionsAnded) {
  NodeTable nodes;
  nodes.add(node(4000, 8 * kGi, {{"zone", "a"}, {"gpus", "4"}}));
  nodes.add(node(4000, 8 * kGi, {{"zone", "a"}, {"gpus", "8"}}));
  nodes.add(node(4000, 8 * kGi, {{"zone", "b"}}));
  Scheduler s(nodes, {});
  using Op = k8s::SelectorRequirement::Op;
  PodSpecView p = pod(100, kGi);
  k8s::LabelSelector many_gpus;  // zone a AND gpus > 6
  many_gpus.expressions = {{"zone", Op::In, {"a"}}, {"gpus", Op::Gt, {"6"}}};
  p.node_affinity = {many_gpus};
  PreparedPod only_big = s.prepare(p);
  EXPECT_EQ(only_big.class_ok, (std::vector<std::uint8_t>{0, 1, 0}));
  k8s::LabelSelector zone_b;
  zone_b.expressions = {{"zone", Op::In, {"b"}}};
  p.node_affinity = {many_gpus, zone_b};  // either term
  PreparedPod either = s.prepare(p);
  EXPECT_EQ(either.class_ok, (std::vector<std::uint8_t>{0, 1, 1}));
  k8s::LabelSelector few_gpus;
  few_gpus.expressions = {{"gpus", Op::Lt, {"6"}}};  // nodes without the label never match
  p.node_affinity = {few_gpus};
  PreparedPod small = s.prepare(p);
  EXPECT_EQ(small.class_ok, (std::vector<std::uint8_t>{1, 0, 0}));
  EXPECT_EQ(s.schedule(small), 0u);
}

TEST(Filtering, ResourcesAndPodCount) {
  NodeTable nodes;
  NodeShape small = node(1000, kGi);
  small.max_pods = 2;
  nodes.add(small);
  Scheduler s(nodes, {});
  PreparedPod too_big = s.prepare(pod(1500, kGi / 2));
  EXPECT_FALSE(s.schedule(too_big).has_value());
  PreparedPod p = s.prepare(pod(100, kGi / 8));
  EXPECT_TRUE(s.schedule(p).has_value());
  EXPECT_TRUE(s.schedule(p).has_value());
  EXPECT_FALSE(s.schedule(p).has_value()) << "max pods reached";
  s.release(0, p);
  EXPECT_TRUE(s.schedule(p).has_value()) << "room again after a pod left";
}

TEST(Scoring, PreferNoScheduleTaintsAreAvoidedNotForbidden) {
  NodeTable nodes;
  const k8s::Taint soft{"spot", "true", k8s::TaintEffect::PreferNoSchedule};
  nodes.add(node(4000, 8 * kGi, {}, {soft}));
  nodes.add(node(4000, 8 * kGi));
  Scheduler s(nodes, {});
  PreparedPod p = s.prepare(pod(100, kGi));
  // Equal resource scores; TaintToleration (weight 3) gives node 1 100 and node 0 0.
  EXPECT_EQ(s.schedule(p), 1u);
  NodeTable only_soft;
  only_soft.add(node(4000, 8 * kGi, {}, {soft}));
  Scheduler s2(only_soft, {});
  PreparedPod p2 = s2.prepare(pod(100, kGi));
  EXPECT_EQ(s2.schedule(p2), 0u) << "a soft taint does not filter";
}

TEST(Scheduling, StartNodeRotatesByTheNodesProcessed) {
  NodeTable nodes;
  for (int i = 0; i < 200; ++i)
    nodes.add(node(4000, 8 * kGi));
  Scheduler s(nodes, {});
  PreparedPod p = s.prepare(pod(100, kGi / 16));
  // 200 nodes: 100 feasible nodes are enough; the first cycle reads nodes 0..99 and picks
  // node 0 (all equal), the second reads 100..199 and picks node 100.
  EXPECT_EQ(s.schedule(p), 0u);
  EXPECT_EQ(s.schedule(p), 100u);
  EXPECT_EQ(s.nodes_examined(), 200u);
}

TEST(Scheduling, NodesTaintedLaterAreFilteredForPreparedPods) {
  NodeTable nodes;
  nodes.add(node(4000, 8 * kGi));
  Scheduler s(nodes, {});
  PreparedPod p = s.prepare(pod(100, kGi));
  EXPECT_TRUE(s.schedule(p).has_value());
  nodes.set_taints(0, {{"node.kubernetes.io/not-ready", "", k8s::TaintEffect::NoExecute}});
  EXPECT_FALSE(s.schedule(p).has_value());
}

// The bitmap filter and the node-by-node filter must place every pod on the same node.
TEST(Scheduling, BitmapFilterMatchesNodeByNodeFilter) {
  for (ScoringStrategy strategy : {ScoringStrategy::least_allocated,
                                   ScoringStrategy::most_allocated, ScoringStrategy::balanced}) {
    NodeTable a;
    NodeTable b;
    RandomStream rng(11, 0, 0);
    for (int i = 0; i < 700; ++i) {
      NodeShape shape = node(1000 * static_cast<std::int64_t>(1 + rng.next_below(8)),
                             kGi * static_cast<std::int64_t>(1 + rng.next_below(16)),
                             {{"zone", rng.next_bernoulli(0.5) ? "a" : "b"}});
      if (rng.next_bernoulli(0.1)) shape.taints = {{"t", "x", k8s::TaintEffect::NoSchedule}};
      if (rng.next_bernoulli(0.1))
        shape.taints.push_back({"s", "y", k8s::TaintEffect::PreferNoSchedule});
      shape.max_pods = 1 + static_cast<std::int32_t>(rng.next_below(20));
      a.add(shape);
      b.add(shape);
    }
    SchedulerConfig config;
    config.strategy = strategy;
    Scheduler fast(a, config);
    Scheduler reference(b, config);
    reference.set_bitmaps_enabled(false);
    std::vector<PodSpecView> templates;
    for (int t = 0; t < 12; ++t) {
      PodSpecView p = pod(100 * (t % 5), kGi / 4 * (t % 3));
      if (t % 4 == 1) p.node_selector = {{"zone", "a"}};
      if (t % 3 == 2) {
        k8s::Toleration tol;
        tol.key = "t";
        tol.op = k8s::Toleration::Op::Exists;
        p.tolerations = {tol};
      }
      templates.push_back(p);
    }
    std::vector<PreparedPod> fa;
    std::vector<PreparedPod> fb;
    for (const PodSpecView& p : templates) {
      fa.push_back(fast.prepare(p));
      fb.push_back(reference.prepare(p));
    }
    std::vector<std::pair<std::size_t, NodeIndex>> placed;
    for (int i = 0; i < 6000; ++i) {
      if (!placed.empty() && rng.next_bernoulli(0.3)) {  // a pod leaves
        const std::size_t k = rng.next_below(placed.size());
        fast.release(placed[k].second, fa[placed[k].first]);
        reference.release(placed[k].second, fb[placed[k].first]);
        placed.erase(placed.begin() + static_cast<std::ptrdiff_t>(k));
        continue;
      }
      const std::size_t t = rng.next_below(templates.size());
      const auto x = fast.schedule(fa[t]);
      const auto y = reference.schedule(fb[t]);
      ASSERT_EQ(x, y) << "pod " << i << " template " << t;
      if (x) placed.emplace_back(t, *x);
    }
    EXPECT_EQ(fast.nodes_examined(), reference.nodes_examined());
  }
}

}  // namespace
}  // namespace kt::scheduling
