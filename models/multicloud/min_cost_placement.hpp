#pragma once
// The optimised placements as a min-cost flow (successive shortest paths over a Boost.Graph
// residual graph):
// the replicas are units of demand, each origin supplying its share of them (by its request
// rate); a unit served in region r from origin o costs cost[o][r] (the one-way latency for
// latency-optimized; compute plus egress per pod-hour for cost-optimized); region r takes at
// most its capacity, and at most half of the replicas when two or more regions can take
// pods, so that one region's outage leaves at least half of them running. With
// `survive_load` set (latency-optimized), static stability against the loss of one node as
// well: what any one node holds can fail without leaving the rest above utilisation 1.

#include <cstdint>
#include <vector>

namespace kt::multicloud {

struct FlowProblem {
  std::int64_t replicas = 0;
  std::vector<double> origin_rate;        // per origin: requests per second
  std::vector<std::int64_t> capacity;     // per region: pods it can hold
  std::vector<std::vector<double>> cost;  // [origin][region]: per unit, >= 0 (or +inf)
  // The load now, in pods' worth (requests in service over the pods' concurrency). When > 0,
  // no region holds so many replicas that one of its nodes failing would leave the others
  // floor(load) or fewer (utilisation 1 or more: a queue that only grows until the pods are
  // replaced, which takes the pods' toleration of an unreachable node, 300 s), as far as
  // capacity allows; where no split keeps that, the split whose worst node loss is least.
  // 0: the half rule alone.
  double survive_load = 0;
  // Per region, how its pods sit on nodes, which sets what one node's loss takes: packed
  // `pods_per_node` to a node (nodes a node autoscaler adds as the pods need them: a node
  // holds min(pods, pods_per_node)), else spread over `nodes` fixed nodes (kube-scheduler's
  // least-allocated scoring: ceil(pods / nodes) on the fullest), else (neither known) all on
  // one. Empty: one node per region.
  struct NodeSpread {
    std::int64_t nodes = 0;
    std::int64_t pods_per_node = 0;
  };
  std::vector<NodeSpread> node_spread;
};

// Pods per region; fewer than `replicas` in all only when the regions' capacity is short.
// `cost`, when given, receives the flow's cost (units x their unit cost).
std::vector<std::int64_t> min_cost_placement(const FlowProblem& problem, double* cost = nullptr);

// The cap that keeps one region from holding more than half: ceil(replicas / 2), or the
// replicas themselves when fewer than two regions can take pods.
std::int64_t spread_cap(std::int64_t replicas, const std::vector<std::int64_t>& capacity);

// Per region, the most replicas it may hold under the static-stability rule of
// `survive_load`, within its capacity and the half cap (see FlowProblem).
std::vector<std::int64_t> survivable_capacity(const FlowProblem& problem);

}  // namespace kt::multicloud
