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
  return min_cost_placement(p);
}

}  // namespace kt::multicloud
