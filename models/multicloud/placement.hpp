#pragma once
// How a MultiClusterDeployment's replicas are split over regions, for each `placement` knob
// (SPEC.md): weighted (the manifest's weights, largest-remainder rounding so the counts add up
// exactly), cost-optimized (cheapest region with room first), latency-optimized (the region
// nearest to the demand first), spread (equal shares).

#include <cstdint>
#include <string>
#include <vector>

#include "engine/time.hpp"

namespace kt::multicloud {

struct RegionOption {
  std::string name;
  double weight = 0;                       // weighted: the manifest's share (any scale)
  double price_usd_per_pod_hour = 0;       // cost-optimized
  SimTime latency_to_demand = 0;           // latency-optimized: demand-weighted mean latency
  std::int64_t capacity_pods = INT64_MAX;  // how many of these pods the region can hold
};

enum class PlacementStrategy { weighted, cost_optimized, latency_optimized, spread };

// Replicas per region, in the order of `regions`; the counts add up to `replicas` unless the
// regions' capacity is smaller.
std::vector<std::int64_t> place_replicas(std::int64_t replicas,
                                         const std::vector<RegionOption>& regions,
                                         PlacementStrategy strategy);

// Largest-remainder (Hamilton) apportionment of `total` by `weights`; ties go to the earlier
// region. Weights need not add up to 1.
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights);

}  // namespace kt::multicloud
