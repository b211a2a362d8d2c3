#pragma once
// One replication of a fleet: Deployments whose pods are scheduled onto the nodes of regions
// and edge sites (or, without node pools, run on unlimited capacity), start (image pull,
// container start) and serve requests routed to them over the inter-region network; HPAs
// resize them; nodes and regions fail with Kubernetes' timing (NotReady after the
// node-monitor grace period, eviction after the unreachable toleration). The fleet is a core
// with components (models/cluster/fleet_core.hpp); docs/models/cluster.md describes the
// model and the upstream behaviour it follows.

#include <cstdint>

#include "engine/time.hpp"
#include "models/cluster/fleet_config.hpp"
#include "models/common/metrics.hpp"
#include "models/common/progress.hpp"

namespace kt::models {

// What a run reports: SPEC metrics, the time series, the events it handled.
struct RunOutput {
  MetricMap metrics;
  TimeSeries series;
  std::uint64_t events = 0;
};

// The time series keeps at most this many rows: a long run samples less often.
inline constexpr std::size_t kMaxSeriesRows = 20'000;

// The interval the time series actually uses for a run of `duration`.
SimTime effective_sample_interval(SimTime requested, SimTime duration);

// `threads` above one runs the arrival sources beside the fleet (the same result either way).
RunOutput run_fleet(const FleetConfig& config, std::uint64_t seed, std::uint64_t replication,
                    RunProgress* progress = nullptr, unsigned threads = 1);

}  // namespace kt::models
