// The fleet core's edge operations: uplinks going down and up, the time payloads spend on
// bandwidth-limited uplinks, and the nodes of a site cut off from its control plane. When
// these happen is decided by the edge component (models/edge/edge_sites.hpp).

#include <algorithm>
#include <cmath>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

void FleetCore::set_uplink_up(std::uint32_t link, bool up) {
  link_up_[link] = up ? 1 : 0;
  const LinkConfig& l = config_.links[link];
  graph_.set_link_up(l.a, l.b, up);
}

std::uint32_t FleetCore::active_uplink(std::uint32_t site, std::uint32_t other) {
  std::uint32_t best = kNone;
  SimTime best_latency = kTimeMax;
  for (std::uint32_t l : uplinks_of_[site]) {
    if (!link_up_[l]) continue;
    const LinkConfig& link = config_.links[l];
    const SimTime beyond = latency(link.b, other);
    if (beyond == kTimeMax) continue;
    if (link.latency + beyond < best_latency) {
      best_latency = link.latency + beyond;
      best = l;
    }
  }
  return best;
}

// A FIFO per direction of each uplink with a bandwidth (Lindley's recursion: a payload starts
// when it is sent or when the one ahead of it is through, whichever is later). A payload is
// booked on the uplinks it crosses when it is sent: the site's own going out, the far site's
// coming in.
SimTime FleetCore::transfer(std::uint32_t from, std::uint32_t to, std::int64_t bytes) {
  if (bytes <= 0 || from == to) return 0;
  const SimTime now = ctx_->now();
  SimTime t = now;
  const auto cross = [&](std::uint32_t link, int direction) {
    const double rate = config_.links[link].bytes_per_s;
    if (rate <= 0) return;
    SimTime& free = link_free_[direction][link];
    const SimTime start = std::max(t, free);
    free = start + std::llround(static_cast<double>(bytes) / rate * 1e9);
    t = free;
  };
  if (place_limited_[from]) {
    if (const std::uint32_t l = active_uplink(from, to); l != kNone) cross(l, 0);
  }
  if (place_limited_[to]) {
    if (const std::uint32_t l = active_uplink(to, from); l != kNone) cross(l, 1);
  }
  return t - now;
}

void FleetCore::partition_node(std::uint32_t global) {
  PlaceRuntime& place = *places_[node_place_[global]];
  const scheduling::NodeIndex n = node_local_[global];
  NodeRuntime& nr = place.nodes[n];
  nr.unreachable = true;
  nr.unreachable_since = ctx_->now();
  // The node lifecycle controller taints an Unknown node twice: NoExecute (evict after the
  // pods' toleration) and NoSchedule (taint-by-condition: place nothing new there).
  std::vector<k8s::Taint> taints = nr.base_taints;
  taints.push_back({"node.kubernetes.io/unreachable", "", k8s::TaintEffect::NoExecute});
  taints.push_back({"node.kubernetes.io/unreachable", "", k8s::TaintEffect::NoSchedule});
  place.table.set_taints(n, taints);
}

void FleetCore::heal_node(std::uint32_t global) {
  PlaceRuntime& place = *places_[node_place_[global]];
  const scheduling::NodeIndex n = node_local_[global];
  NodeRuntime& nr = place.nodes[n];
  if (!nr.unreachable) return;
  nr.unreachable = false;
  place.table.set_taints(n, nr.base_taints);
  capacity_changed_ = true;
}

void FleetCore::orphan_pod(std::uint32_t p) {
  Pod& pod = pods_[p];
  if (pod.orphaned) return;
  pod.orphaned = true;
  if (ctx_->now() >= config_.warmup) {
    ++places_[pod.place]->evicted;
    ++deployments_[pod.deployment].evicted;
  }
  DeploymentRuntime& rt = deployments_[pod.deployment];
  if (rt.degraded_since < 0) rt.degraded_since = ctx_->now();
  auto& list = rt.pods[pod.home];
  list.erase(std::remove(list.begin(), list.end(), p), list.end());
}

}  // namespace kt::models
