#pragma once
// The optimised placements as a min-cost flow (successive shortest paths over a Boost.Graph
// residual graph):
// the replicas are units of demand, each origin supplying its share of them (by its request
// rate); a unit served in region r from origin o costs cost[o][r] (the one-way latency for
// latency-optimized; compute plus egress per pod-hour for cost-optimized); region r takes at
// most its capacity, and at most half of the replicas when two or more regions can take
// pods, so that one region's outage leaves at least half of them running.

#include <cstdint>
#include <vector>

namespace kt::multicloud {

struct FlowProblem {
  std::int64_t replicas = 0;
  std::vector<double> origin_rate;        // per origin: requests per second
  std::vector<std::int64_t> capacity;     // per region: pods it can hold
  std::vector<std::vector<double>> cost;  // [origin][region]: per unit, >= 0 (or +inf)
};

// Pods per region; fewer than `replicas` in all only when the regions' capacity is short.
// `cost`, when given, receives the flow's cost (units x their unit cost).
std::vector<std::int64_t> min_cost_placement(const FlowProblem& problem, double* cost = nullptr);

// The cap that keeps one region from holding more than half: ceil(replicas / 2), or the
// replicas themselves when fewer than two regions can take pods.
std::int64_t spread_cap(std::int64_t replicas, const std::vector<std::int64_t>& capacity);

}  // namespace kt::multicloud
