#pragma once
// What the node autoscalers read (models/cluster/cluster_autoscaler, karpenter): which pools
// grow and shrink and by which controller, the instance types a Karpenter-style pool may
// launch, how long a node takes to come and to go, and the controllers' settings with
// upstream's defaults (docs/models/autoscaling.md names their sources).

#include <cstdint>
#include <string>
#include <vector>

#include "engine/distribution.hpp"
#include "engine/time.hpp"

namespace kt::models {

enum class NodeAutoscaler : std::uint8_t { none, cluster_autoscaler, karpenter };

// A machine a pool can launch: its allocatable resources and its price.
struct InstanceType {
  std::string name;
  std::int64_t cpu_milli = 0;
  std::int64_t memory_bytes = 0;
  double price_usd_per_hour = 0;
};

struct PoolScaling {
  NodeAutoscaler autoscaler = NodeAutoscaler::none;
  std::uint32_t min = 0;
  std::uint32_t max = 0;
  // The priority expander's rank (higher first; the cluster-autoscaler-priority-expander
  // ConfigMap's, here per pool).
  std::int32_t priority = 0;
  // Seconds from the cloud call to the node's registering Ready, and from the end of its
  // drain to the instance's end (when billing stops).
  Distribution provisioning = Distribution::lognormal(90.0, 0.3);
  Distribution deletion = Distribution::deterministic(0.0);
  // Karpenter: the types it may choose from (cheapest that fits); empty: the pool's own
  // shape. The Cluster Autoscaler's node group has one type, the pool's.
  std::vector<InstanceType> instance_types;
};

// cluster-autoscaler's flags (FAQ "What are the parameters to CA?", v1.34 defaults).
struct ClusterAutoscalerConfig {
  enum class Expander : std::uint8_t { random, most_pods, least_waste, price, priority };
  SimTime scan_interval = 10 * kSecond;
  SimTime new_pod_scale_up_delay = 0;
  Expander expander = Expander::least_waste;
  double scale_down_utilization_threshold = 0.5;
  SimTime scale_down_unneeded_time = 10 * kMinute;
  SimTime scale_down_delay_after_add = 10 * kMinute;
  SimTime scale_down_delay_after_delete = 0;
  SimTime scale_down_delay_after_failure = 3 * kMinute;
  SimTime max_node_provision_time = 15 * kMinute;
  SimTime initial_node_group_backoff = 5 * kMinute;
  SimTime max_node_group_backoff = 30 * kMinute;
  std::uint32_t max_empty_bulk_delete = 10;
  std::uint32_t max_nodes_total = 0;  // 0: no limit
  SimTime max_graceful_termination = 600 * kSecond;
};

// Karpenter's controller options and NodePool disruption settings (v1 defaults).
struct KarpenterConfig {
  SimTime batch_idle = 1 * kSecond;  // --batch-idle-duration
  SimTime batch_max = 10 * kSecond;  // --batch-max-duration
  // disruption.consolidationPolicy: WhenEmptyOrUnderutilized (default) or WhenEmpty.
  bool consolidate_underutilized = true;
  SimTime consolidate_after = 0;                  // disruption.consolidateAfter
  SimTime polling_period = 10 * kSecond;          // the disruption controller's poll
  SimTime validation_delay = 15 * kSecond;        // a consolidation is re-checked after this
  std::uint32_t max_multi_node_candidates = 100;  // multi-node consolidation's batch
  // disruption.budgets: the share of a NodePool's nodes that may be disrupted at once
  // (default "10%", rounded up).
  double budget_share = 0.10;
};

}  // namespace kt::models
