#include "models/multicloud/placement.hpp"

#include "models/multicloud/min_cost_placement.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kt::multicloud {

std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights) {
  std::vector<std::int64_t> out(weights.size(), 0);
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (weights.empty() || sum <= 0 || total <= 0) return out;
  std::vector<std::pair<double, std::size_t>> remainders;
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = static_cast<double>(total) * weights[i] / sum;
    out[i] = static_cast<std::int64_t>(std::floor(exact + 1e-9));
    given += out[i];
    remainders.push_back({exact - static_cast<double>(out[i]), i});
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first + 1e-12; });
  for (std::size_t k = 0; given < total && k < remainders.size(); ++k, ++given) {
    ++out[remainders[k].second];
  }
  return out;
}

namespace {

// Regions beyond this many are placed by the flow alone (2^R subsets).
constexpr std::size_t kMaxSubsetRegions = 10;

// What the pods of a split cost per hour in whole nodes: a region whose nodes follow its pods
// pays max(min nodes, the nodes its pods fill), the others nothing that depends on the split.
double node_cost(const std::vector<RegionOption>& regions, const std::vector<std::int64_t>& pods) {
  double usd = 0;
  for (std::size_t r = 0; r < regions.size(); ++r) {
    const RegionOption& region = regions[r];
    if (!region.nodes_follow_pods || region.pods_per_node <= 0) continue;
    const std::int64_t nodes = (pods[r] + region.pods_per_node - 1) / region.pods_per_node;
    usd += static_cast<double>(std::max(nodes, region.min_nodes)) * region.node_price_usd_per_hour;
  }
  return usd;
}

// Cost-optimized where nodes follow the pods: which regions to use is a fixed-charge choice
// (a region's first pod costs a whole node), so every set of at least two regions (one when
// only one can take pods) is tried; within a set the flow places the demand at its egress
// (and, to break ties, per-pod compute) cost, and the set whose whole nodes plus egress cost
// least wins (the first on a tie).
std::vector<std::int64_t> cheapest_regions(const FlowProblem& full,
                                           const std::vector<RegionOption>& regions) {
  const std::size_t n = regions.size();
  std::size_t open = 0;
  for (const RegionOption& r : regions)
    open += r.capacity_pods > 0 ? 1 : 0;
  const std::size_t at_least = std::min<std::size_t>(2, open);
  std::vector<std::int64_t> best;
  double best_cost = INFINITY;
  for (std::uint32_t mask = 1; mask < (1u << n); ++mask) {
    FlowProblem p = full;
    std::size_t used = 0;
    std::int64_t room = 0;
    bool closed_member = false;  // the set names a region that takes no pods: another set's
    for (std::size_t r = 0; r < n; ++r) {
      const bool in = (mask >> r) & 1u;
      closed_member = closed_member || (in && regions[r].capacity_pods <= 0);
      if (!in || regions[r].capacity_pods <= 0) {
        p.capacity[r] = 0;
        continue;
      }
      ++used;
      room =
          regions[r].capacity_pods > INT64_MAX - room ? INT64_MAX : room + regions[r].capacity_pods;
    }
    if (closed_member || used < at_least) continue;
    double egress = 0;
    const std::vector<std::int64_t> pods = min_cost_placement(p, &egress);
    std::int64_t placed = 0;
    for (std::int64_t k : pods)
      placed += k;
    if (placed < std::min(full.replicas, room) || (room < full.replicas && used < open)) continue;
    // The flow's unit cost included per-pod compute: whole nodes replace it.
    double per_pod = 0;
    for (std::size_t r = 0; r < n; ++r)
      per_pod += static_cast<double>(pods[r]) * regions[r].price_usd_per_pod_hour;
    const double total = node_cost(regions, pods) + egress - per_pod;
    if (total < best_cost - 1e-12) {
      best_cost = total;
      best = pods;
    }
  }
  return best.empty() ? min_cost_placement(full) : best;
}

}  // namespace

std::vector<std::int64_t> place_replicas(std::int64_t replicas,
                                         const std::vector<RegionOption>& regions,
                                         PlacementStrategy strategy, const Demand& demand) {
  switch (strategy) {
    case PlacementStrategy::weighted: {
      std::vector<double> weights;
      for (const RegionOption& r : regions)
        weights.push_back(r.weight);
      return apportion(replicas, weights);
    }
    case PlacementStrategy::spread:
      return apportion(replicas, std::vector<double>(regions.size(), 1.0));
    case PlacementStrategy::cost_optimized:
    case PlacementStrategy::latency_optimized:
      break;
  }
  FlowProblem p;
  p.replicas = replicas;
  if (strategy == PlacementStrategy::latency_optimized && demand.load_pods > 0) {
    p.survive_load = demand.load_pods;
    for (const RegionOption& region : regions) {
      FlowProblem::NodeSpread spread;
      if (region.fixed_nodes > 0) {
        spread.nodes = region.fixed_nodes;
      } else if (region.nodes_follow_pods) {
        spread.pods_per_node = region.pods_per_node;
      }
      p.node_spread.push_back(spread);
    }
  }
  // Without demand (no workload reaches it) one origin, from nowhere in particular: the
  // regions' own price, or the demand-weighted latency (0), decides.
  const bool any = !demand.rate.empty();
  p.origin_rate = any ? demand.rate : std::vector<double>{1.0};
  p.cost.assign(p.origin_rate.size(), std::vector<double>(regions.size(), 0.0));
  for (std::size_t r = 0; r < regions.size(); ++r) {
    const RegionOption& region = regions[r];
    p.capacity.push_back(region.capacity_pods);
    for (std::size_t o = 0; o < p.origin_rate.size(); ++o) {
      double c = 0;
      if (strategy == PlacementStrategy::latency_optimized) {
        const SimTime l = any ? region.latency_from[o] : region.latency_to_demand;
        c = l == kTimeMax ? INFINITY : to_seconds(l);
      } else {
        c = any ? region.usd_per_pod_hour_from[o] : region.price_usd_per_pod_hour;
      }
      p.cost[o][r] = c;
    }
  }
  const bool granular = std::any_of(regions.begin(), regions.end(),
                                    [](const RegionOption& r) { return r.nodes_follow_pods; });
  if (strategy != PlacementStrategy::cost_optimized || !granular ||
      regions.size() > kMaxSubsetRegions)
    return min_cost_placement(p);
  return cheapest_regions(p, regions);
}

}  // namespace kt::multicloud
