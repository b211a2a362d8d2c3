#pragma once
// How a MultiClusterDeployment's replicas are split over regions, for each `placement` knob
// (SPEC.md): weighted (the manifest's weights, largest-remainder rounding so the counts add up
// exactly), spread (equal shares), and the two that optimise what their names say, as a
// min-cost flow of the demand's origins to the regions (min_cost_placement.hpp):
// latency-optimized (least demand-weighted latency) and cost-optimized (least compute plus
// egress), each within capacity and keeping no more than half the replicas in one region;
// latency-optimized also keeps what any one node holds small enough that the others carry the
// load without it (static stability: a node's loss must not leave a queue that only grows).
// Where node autoscalers make the nodes follow the pods, cost-optimized also chooses which
// regions to use (two at least, when two can take pods), pricing whole nodes.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/time.hpp"

namespace kt::multicloud {

struct RegionOption {
  std::string name;
  double weight = 0;                       // weighted: the manifest's share (any scale)
  double price_usd_per_pod_hour = 0;       // cost-optimized
  SimTime latency_to_demand = 0;           // demand-weighted mean latency
  std::int64_t capacity_pods = INT64_MAX;  // how many of these pods the region can hold
  // Per origin of the demand (Demand::rate): the one-way latency to here (latency-optimized),
  // and what a pod's worth of that origin's demand costs here per hour, compute and egress
  // (cost-optimized). kTimeMax / infinity: unreachable.
  std::vector<SimTime> latency_from;
  std::vector<double> usd_per_pod_hour_from;
  // Node granularity, for cost-optimized: in a region whose nodes a node autoscaler adds and
  // removes with the pods, the pods cost whole nodes (at least `min_nodes`, paid with or
  // without pods); a fixed pool's nodes are paid whatever the placement.
  bool nodes_follow_pods = false;
  double node_price_usd_per_hour = 0;
  std::int64_t pods_per_node = 0;
  std::int64_t min_nodes = 0;
  // Nodes of fixed size pools (no node autoscaler) that can hold these pods: with them, the
  // pods spread over that many nodes (latency-optimized's node-loss rule).
  std::int64_t fixed_nodes = 0;
};

// Where the demand comes from: per origin, its request rate; and the load it puts on the
// pods now (pods' worth of requests in service), which latency-optimized keeps a region's
// loss from leaving uncovered (0: not known, the half rule alone).
struct Demand {
  std::vector<double> rate;
  double load_pods = 0;
};

enum class PlacementStrategy { weighted, cost_optimized, latency_optimized, spread };

// Replicas per region, in the order of `regions`; the counts add up to `replicas` unless the
// regions' capacity is smaller.
std::vector<std::int64_t> place_replicas(std::int64_t replicas,
                                         const std::vector<RegionOption>& regions,
                                         PlacementStrategy strategy, const Demand& demand = {});

// Largest-remainder (Hamilton) apportionment of `total` by `weights`; ties go to the earlier
// region. Weights need not add up to 1.
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights);

}  // namespace kt::multicloud
