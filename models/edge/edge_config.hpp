#pragma once
// What the edge model simulates, typed by the scenario layer: how a site's nodes are treated
// while it cannot reach its cluster's control plane, and when its uplinks are down
// (docs/models/edge.md).

#include <cstdint>
#include <utility>
#include <vector>

#include "engine/time.hpp"

namespace kt::edge {

// What happens to a site's pods while it is cut off from the control plane:
//   evict     Kubernetes: NotReady after the node-monitor grace period, the unreachable
//             NoExecute taint, eviction after the pods' toleration, replacements elsewhere;
//   tolerate  KubeEdge-style autonomy: the pods stay bound and serve local requests, requests
//             that need the cloud wait in the site's buffer.
enum class OutageMode : std::uint8_t { evict, tolerate };

// One uplink's outages (FleetConfig::links index `link`): an exponential on/off process
// (both means > 0), and/or fixed intervals [start, end) from a trace or a linkOutage fault.
struct UplinkOutages {
  std::uint32_t link = 0;
  SimTime mean_up = 0;
  SimTime mean_down = 0;
  std::vector<std::pair<SimTime, SimTime>> intervals;
};

struct EdgeConfig {
  OutageMode mode = OutageMode::evict;
  std::vector<UplinkOutages> outages;
};

}  // namespace kt::edge
