// The fleet core's nodes that come and go: a node autoscaler (models/cluster/
// cluster_autoscaler, karpenter) decides when; the core bills them, adds them to their place's
// table, cordons and drains them, and retires their rows.

#include <algorithm>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

void FleetCore::bill_node(std::uint32_t pool, double usd_per_hour, int delta) {
  const SimTime now = ctx_->now();
  PoolRuntime& rt = pools_[pool];
  rt.nodes.add(now, delta);
  rt.price_rate.add(now, delta * usd_per_hour);
  PlaceRuntime& place = *places_[config_.pools[pool].place];
  place.node_count.add(now, delta);
  place.price_rate.add(now, delta * usd_per_hour);
  total_nodes_.add(now, delta);
  if (now < config_.warmup) return;
  if (delta > 0) rt.provisioned += static_cast<std::uint64_t>(delta);
  if (delta < 0) rt.removed += static_cast<std::uint64_t>(-delta);
}

std::uint32_t FleetCore::add_node(std::uint32_t pool, const InstanceType& type) {
  const NodePoolConfig& spec = config_.pools[pool];
  PlaceRuntime& place = *places_[spec.place];
  scheduling::NodeShape shape;
  shape.cpu_milli = type.cpu_milli;
  shape.memory_bytes = type.memory_bytes;
  shape.labels = spec.labels;
  if (!type.name.empty()) shape.labels["node.kubernetes.io/instance-type"] = type.name;
  shape.taints = spec.taints;
  const scheduling::NodeIndex n = place.table.add(shape);
  NodeRuntime node;
  node.base_taints = spec.taints;
  node.usd_per_hour = type.price_usd_per_hour;
  place.nodes.push_back(std::move(node));
  place.pods_on_node.emplace_back();
  const auto global = static_cast<std::uint32_t>(node_place_.size());
  node_place_.push_back(spec.place);
  node_pool_.push_back(static_cast<std::int32_t>(pool));
  node_local_.push_back(n);
  place.global_of.push_back(global);
  place.cpu_alloc.add(ctx_->now(), static_cast<double>(type.cpu_milli));
  capacity_changed_ = true;
  for (ComponentSlot& slot : components_)
    slot.component->on_node_added(global);
  schedule_pending();
  return global;
}

bool FleetCore::node_drainable(std::uint32_t node) const {
  for (std::uint32_t p : pods_on(node)) {
    const FleetDeployment& d = config_.deployments[pods_[p].deployment];
    if (pods_[p].owner_ref != kNone || d.job || d.quantum || d.workflow || d.workflow_pods)
      return false;
  }
  return true;
}

void FleetCore::drain_node(std::uint32_t global, const char* taint_key) {
  PlaceRuntime& place = *places_[node_place_[global]];
  const scheduling::NodeIndex n = node_local_[global];
  NodeRuntime& nr = place.nodes[n];
  nr.base_taints.push_back({taint_key, "", k8s::TaintEffect::NoSchedule});
  if (!nr.unreachable) place.table.set_taints(n, nr.base_taints);
  // Evicted through the API: each pod terminates gracefully; owners replace them at once.
  const std::vector<std::uint32_t> pods = place.pods_on_node[n];
  std::vector<std::uint32_t> owners;
  for (std::uint32_t p : pods) {
    if (pods_[p].state == PodState::terminating) continue;
    owners.push_back(pods_[p].deployment);
    delete_pod(p);
  }
  std::sort(owners.begin(), owners.end());
  owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
  for (std::uint32_t d : owners)
    reconcile(d);
  after_change();
}

void FleetCore::remove_node(std::uint32_t global) {
  PlaceRuntime& place = *places_[node_place_[global]];
  const scheduling::NodeIndex n = node_local_[global];
  NodeRuntime& nr = place.nodes[n];
  if (nr.removed || !place.pods_on_node[n].empty()) return;
  nr.removed = true;
  place.cpu_alloc.add(ctx_->now(), -static_cast<double>(place.table.cpu_alloc_[n]));
  place.table.retire(n);
  place.scheduler->node_changed(n);
}

void FleetCore::schedule_pending() {
  if (pending_.empty()) return;
  place_pending();
  if (!pending_.empty()) schedule_retry();
}

scheduling::ClassId FleetCore::template_class(std::uint32_t pool, const std::string& type) {
  const NodePoolConfig& spec = config_.pools[pool];
  k8s::Labels labels = spec.labels;
  if (!type.empty()) labels["node.kubernetes.io/instance-type"] = type;
  return places_[spec.place]->table.class_for(labels, spec.taints);
}

}  // namespace kt::models
