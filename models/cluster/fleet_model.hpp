#pragma once
// One replication of a fleet: Deployments whose pods are scheduled onto the nodes of regions
// and edge sites, start (image pull, container start) and serve requests routed to them over
// the inter-region network; HPAs resize them; nodes and regions fail with Kubernetes' timing
// (NotReady after the node-monitor grace period, eviction after the unreachable toleration).
// docs/models/cluster.md describes the model and the upstream behaviour it follows.

#include <cstdint>

#include "models/cluster/fleet_config.hpp"
#include "models/cluster/request_flow.hpp"

namespace kt::models {

// `threads` above one runs the arrival sources beside the fleet (the same result either way).
FlowResult run_fleet(const FleetConfig& config, std::uint64_t seed, std::uint64_t replication,
                     RunProgress* progress = nullptr, unsigned threads = 1);

}  // namespace kt::models
