#pragma once
// The kube-scheduler's scheduling cycle for one pod, as upstream runs it (v1.28 default
// profile, docs/models/cluster.md):
//   1. Filter, from a rotating start node, until numFeasibleNodesToFind feasible nodes are
//      found (percentageOfNodesToScore; adaptive when 0): NodeUnschedulable/readiness,
//      NodeResourcesFit (cpu, memory, pod count), NodeAffinity via nodeSelector,
//      TaintToleration for NoSchedule and NoExecute taints.
//   2. Score the feasible nodes: NodeResourcesFit (LeastAllocated or MostAllocated, cpu and
//      memory weight 1, requests with upstream's non-zero defaults), the
//      NodeResourcesBalancedAllocation score, and TaintToleration (intolerable
//      PreferNoSchedule taints, normalised and reversed), with upstream's plugin weights.
//   3. Pick the highest total; upstream breaks ties at random, kubetwin deterministically
//      (the first in scan order), so runs are reproducible.

#include <cstdint>
#include <optional>
#include <vector>

#include "models/common/k8s_types.hpp"
#include "models/scheduling/node_table.hpp"

namespace kt::scheduling {

enum class ScoringStrategy {
  least_allocated,  // upstream default: spread load (NodeResourcesFit LeastAllocated)
  most_allocated,   // bin packing (NodeResourcesFit MostAllocated)
  balanced,         // NodeResourcesFit scoring off; BalancedAllocation and taints decide
};

// Upstream's default plugin weights (pkg/scheduler/apis/config/v1/default_plugins.go).
struct PluginWeights {
  std::int64_t node_resources_fit = 1;
  std::int64_t balanced_allocation = 1;
  std::int64_t taint_toleration = 3;
};

struct SchedulerConfig {
  ScoringStrategy strategy = ScoringStrategy::least_allocated;
  std::int32_t percentage_of_nodes_to_score = 0;  // 0: adaptive, as upstream
  PluginWeights weights;
};

// A pod as the scheduler sees it.
struct PodSpecView {
  std::int64_t cpu_milli = 0;  // requests
  std::int64_t memory_bytes = 0;
  k8s::Labels node_selector;
  std::vector<k8s::LabelSelector> node_affinity;  // required terms: one must match
  std::vector<k8s::Toleration> tolerations;
};

// A pod prepared for scheduling: its selector and tolerations evaluated once per node
// class. Pods of one template share it.
struct PreparedPod {
  std::int64_t cpu_milli = 0;
  std::int64_t memory_bytes = 0;
  std::int64_t cpu_nonzero = 0;
  std::int64_t memory_nonzero = 0;
  std::vector<std::uint8_t> class_ok;       // per node class: selector and hard taints pass
  std::vector<std::uint16_t> prefer_count;  // per node class: intolerable PreferNoSchedule
  std::int32_t score_slot = -1;             // which score cache serves this request size
  // One bit per node: its class passes (the node's labels and taints, for this pod); valid
  // while the table's class_version_ equals class_bits_version.
  std::vector<std::uint64_t> class_bits;
  std::uint64_t class_bits_version = ~0ull;
  // Kept to evaluate node classes that appear later (a node tainted NotReady).
  k8s::Labels node_selector;
  std::vector<k8s::LabelSelector> node_affinity;
  std::vector<k8s::Toleration> tolerations;
};

// upstream numFeasibleNodesToFind: all nodes below 100; else percentage (adaptive:
// max(5, 50 - nodes/125)) of them, at least 100.
std::int32_t feasible_nodes_to_find(std::int32_t all_nodes, std::int32_t percentage);

// The individual plugin scores (0..100), exposed for tests against upstream's formulas.
std::int64_t least_allocated_score(std::int64_t requested, std::int64_t allocatable);
std::int64_t most_allocated_score(std::int64_t requested, std::int64_t allocatable);
std::int64_t balanced_allocation_score(double cpu_fraction, double memory_fraction);

class Scheduler {
 public:
  Scheduler(NodeTable& nodes, SchedulerConfig config) : nodes_(nodes), config_(config) {}

  PreparedPod prepare(const PodSpecView& pod) const;
  // Places the pod and books its requests on the node; nullopt when no node fits
  // (the pod stays Pending and is retried when capacity changes).
  std::optional<NodeIndex> schedule(PreparedPod& pod);
  // The two halves of schedule(): the filter and score (the best node and its weighted total,
  // comparable between schedulers of one profile), and the booking. A pod that may land in
  // several places of one cluster (a region and its edge sites) takes the best total.
  struct Choice {
    NodeIndex node;
    std::int64_t score;
  };
  std::optional<Choice> select(PreparedPod& pod);
  void bind(NodeIndex node, const PreparedPod& pod);
  // Frees what a pod booked (it finished, failed or was evicted).
  void release(NodeIndex node, const PreparedPod& pod);
  // The node's free resources changed outside a booking (it was retired).
  void node_changed(NodeIndex node) { update_fit_bits(node); }
  // The pod's nodeSelector, affinity and tolerations pass on nodes of class `c` (a node
  // autoscaler asks this of its node templates).
  bool accepts(PreparedPod& pod, ClassId c) const {
    if (pod.class_ok.size() <= c) extend(pod);
    return pod.class_ok[c] != 0;
  }

  // The filter without the per-request-size bitmaps: node by node, as upstream writes it.
  // Used for request sizes beyond the bitmap slots, and by tests as the reference.
  void set_bitmaps_enabled(bool enabled) { bitmaps_enabled_ = enabled; }

  std::uint64_t nodes_examined() const { return examined_; }

 private:
  void extend(PreparedPod& pod) const;  // evaluates classes that appeared since prepare()

  std::int64_t resource_score(NodeIndex node, const PreparedPod& pod) const;
  std::int32_t slot_for(const PreparedPod& pod);
  void update_fit_bits(NodeIndex node);  // after the node's free resources changed
  void refresh_fit_bits(std::size_t slot);
  void refresh_class_bits(PreparedPod& pod) const;

  NodeTable& nodes_;
  SchedulerConfig config_;
  std::size_t next_start_ = 0;
  bool bitmaps_enabled_ = true;
  std::uint64_t examined_ = 0;
  // Scratch for one cycle, kept to avoid allocation per pod.
  std::vector<NodeIndex> block_nodes_;
  std::vector<NodeIndex> feasible_;
  std::vector<std::int64_t> partial_score_;
  std::vector<std::uint16_t> prefer_;
  // Memoised resource scores (NodeResourcesFit + BalancedAllocation, weighted) per request
  // size and node, valid while the node's version is unchanged: a node changes once per
  // placement but is scored by thousands of pods in between, so this saves the divisions.
  struct ScoreKey {
    std::int64_t cpu, memory, cpu_nonzero, memory_nonzero;
  };
  static constexpr std::size_t kScoreSlots = 32;
  std::vector<ScoreKey> slot_keys_;
  std::vector<std::vector<std::uint64_t>> score_cache_;  // (version + 1) << 32 | score
  // Per request size, one bit per node: the node has room (cpu, memory, a pod slot). Kept
  // current on every booking, so the filter reads 64 nodes per word.
  std::vector<std::vector<std::uint64_t>> fit_bits_;
  std::vector<std::size_t> fit_bits_nodes_;  // nodes covered (nodes may be added later)
};

}  // namespace kt::scheduling
