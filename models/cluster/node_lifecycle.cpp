#include "models/cluster/node_lifecycle.hpp"

#include <algorithm>
#include <vector>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

NodeLifecycle::NodeLifecycle(FleetCore& core) : FleetComponent(core) {
  for (const FleetDeployment& d : core.config().deployments) {
    toleration_.push_back(k8s::unreachable_eviction_delay(
        d.tolerations, core.config().timings.unreachable_toleration));
  }
}

void NodeLifecycle::start() {
  const auto& faults = core_.config().faults;
  for (std::size_t f = 0; f < faults.size(); ++f)
    schedule_at(faults[f].at, kFaultStart, f);
}

void NodeLifecycle::handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) {
  const auto index = static_cast<std::uint32_t>(payload);
  switch (local_kind) {
    case kFaultStart:
      fault(index, true);
      break;
    case kFaultEnd:
      fault(index, false);
      break;
    case kNotReady:
      not_ready(index, aux);
      break;
    case kEvict:
      evict(index, aux);
      break;
    default:
      break;
  }
}

void NodeLifecycle::fault(std::uint32_t f, bool begin) {
  const FleetFault& fault = core_.config().faults[f];
  std::vector<std::uint32_t> nodes;
  for (std::uint32_t g = 0; g < core_.node_count(); ++g) {
    if (core_.node_place(g) != fault.place || core_.node_removed(g)) continue;
    if (fault.pool >= 0 && core_.node_pool(g) != fault.pool) continue;
    nodes.push_back(g);
  }
  // A region that is down launches no node either (its cloud API is down with it).
  if (fault.kind == FleetFault::Kind::region_outage) core_.set_place_outage(fault.place, begin);
  if (fault.kind == FleetFault::Kind::node_failure) {
    // One node: the first of the target that is up (when the fault begins) or that this
    // fault took down (when it ends).
    if (begin) {
      for (std::uint32_t g : nodes) {
        if (!core_.node_down(g)) {
          failed_by_fault_[f] = g;
          node_down(g);
          break;
        }
      }
    } else if (failed_by_fault_.count(f)) {
      node_up(failed_by_fault_[f]);
    }
  } else {
    for (std::uint32_t g : nodes)
      begin ? node_down(g) : node_up(g);
  }
  if (begin && fault.duration > 0) schedule_in(fault.duration, kFaultEnd, f);
}

void NodeLifecycle::node_down(std::uint32_t node) {
  if (!core_.lose_node(node)) return;
  schedule_in(core_.config().timings.node_monitor_grace_period, kNotReady, node,
              core_.node_fault_generation(node));
}

void NodeLifecycle::not_ready(std::uint32_t node, std::uint16_t generation) {
  if (!core_.node_down(node) || core_.node_fault_generation(node) != generation) return;
  core_.mark_unreachable(node);
  // One eviction time per toleration its pods have (upstream's taint-eviction controller
  // times each pod; most share the 300 s of DefaultTolerationSeconds, always looked at).
  std::vector<SimTime> delays = {core_.config().timings.unreachable_toleration};
  for (std::uint32_t p : core_.pods_on(node)) {
    const SimTime d = toleration_[core_.pod(p).deployment];
    if (d >= 0 && std::find(delays.begin(), delays.end(), d) == delays.end()) delays.push_back(d);
  }
  std::sort(delays.begin(), delays.end());
  for (SimTime d : delays)
    schedule_in(d, kEvict, node, generation);
}

void NodeLifecycle::evict(std::uint32_t node, std::uint16_t generation) {
  if (!core_.node_down(node) || core_.node_fault_generation(node) != generation) return;
  // Taint-based eviction: the pods are deleted; pods with an owner_ref are reported to their
  // owner (a Job counts them failed), the ReplicaSets of the others replace them.
  std::vector<std::uint32_t> owners;
  // The pods whose toleration has run out by now.
  const SimTime elapsed = core_.now() - core_.node_unreachable_since(node);
  std::vector<std::uint32_t> due;
  for (std::uint32_t p : core_.pods_on(node)) {
    const SimTime d = toleration_[core_.pod(p).deployment];
    if (d >= 0 && d <= elapsed) due.push_back(p);
  }
  const auto evicted = core_.evict_pods(node, due);
  for (const auto& [deployment, ref] : evicted) {
    if (ref != kNone) {
      core_.notify_evicted(deployment, ref);
    } else {
      owners.push_back(deployment);
    }
  }
  std::sort(owners.begin(), owners.end());
  owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
  for (std::uint32_t d : owners)
    core_.reconcile(d);
  core_.after_change();
}

void NodeLifecycle::node_up(std::uint32_t node) {
  if (!core_.restore_node(node)) return;
  // The multi-cluster controller moves shares back to a place that answers again.
  const auto& deployments = core_.config().deployments;
  for (std::uint32_t d = 0; d < deployments.size(); ++d) {
    if (deployments[d].places.size() > 1) core_.reconcile(d);
  }
  core_.after_change();
}

}  // namespace kt::models
