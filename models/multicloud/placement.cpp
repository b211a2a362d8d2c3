#include "models/multicloud/placement.hpp"

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

// Fills regions in `order` up to their capacity.
std::vector<std::int64_t> fill_in_order(std::int64_t replicas,
                                        const std::vector<RegionOption>& regions,
                                        const std::vector<std::size_t>& order) {
  std::vector<std::int64_t> out(regions.size(), 0);
  for (std::size_t i : order) {
    const std::int64_t take = std::min(replicas, regions[i].capacity_pods);
    out[i] = take;
    replicas -= take;
    if (replicas == 0) break;
  }
  return out;
}

}  // namespace

std::vector<std::int64_t> place_replicas(std::int64_t replicas,
                                         const std::vector<RegionOption>& regions,
                                         PlacementStrategy strategy) {
  std::vector<std::size_t> order(regions.size());
  std::iota(order.begin(), order.end(), 0);
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
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return regions[a].price_usd_per_pod_hour < regions[b].price_usd_per_pod_hour;
      });
      return fill_in_order(replicas, regions, order);
    case PlacementStrategy::latency_optimized:
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return regions[a].latency_to_demand < regions[b].latency_to_demand;
      });
      return fill_in_order(replicas, regions, order);
  }
  return std::vector<std::int64_t>(regions.size(), 0);
}

}  // namespace kt::multicloud
