#pragma once
// Node and region faults, and the node lifecycle controller's answer to them, as a fleet
// component. A fault takes nodes down (one node of a pool, or every node of a place) and
// back up; a node that stops answering is marked NotReady after the node-monitor grace
// period (tainted node.kubernetes.io/unreachable, its pods leave the Services' endpoints),
// and its pods are evicted once the unreachable toleration has passed (their owners replace
// them). Kubernetes' timings: FleetConfig::timings, sources in docs/models/cluster.md.

#include <cstdint>
#include <map>
#include <vector>

#include "models/cluster/fleet_component.hpp"

namespace kt::models {

class NodeLifecycle final : public FleetComponent {
 public:
  explicit NodeLifecycle(FleetCore& core);
  void start() override;
  void handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) override;

 private:
  static constexpr EventKind kFaultStart = 0;  // payload: fault
  static constexpr EventKind kFaultEnd = 1;    // payload: fault
  static constexpr EventKind kNotReady = 2;    // payload: node, aux: fault generation
  static constexpr EventKind kEvict = 3;       // payload: node, aux: fault generation

  void fault(std::uint32_t f, bool begin);
  void node_down(std::uint32_t node);
  void node_up(std::uint32_t node);
  void not_ready(std::uint32_t node, std::uint16_t generation);
  void evict(std::uint32_t node, std::uint16_t generation);
  std::map<std::uint32_t, std::uint32_t> failed_by_fault_;  // node_failure fault -> its node
  // Per Deployment: how long its pods stay on an unreachable node (-1: for good).
  std::vector<SimTime> toleration_;
};

}  // namespace kt::models
