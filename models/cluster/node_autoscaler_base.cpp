#include "models/cluster/node_autoscaler_base.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

namespace {

// How often a node launched into a region that is down tries to register again.
constexpr SimTime kRegistrationRetry = 10 * kSecond;

}  // namespace

NodeAutoscalerBase::NodeAutoscalerBase(FleetCore& core, NodeAutoscaler kind)
    : FleetComponent(core) {
  const FleetConfig& config = core.config();
  for (std::uint32_t p = 0; p < config.pools.size(); ++p) {
    if (config.pools[p].scaling.autoscaler == kind) pools_.push_back(p);
  }
  unhelpable_by_deployment_.assign(config.deployments.size(), 0);
}

bool NodeAutoscalerBase::handle_base(EventKind local_kind, std::uint64_t payload) {
  if (local_kind == kNodeUp) {
    Launch& l = launches_[payload];
    if (l.done) return true;  // given up on already
    if (core_.place_out(core_.config().pools[l.pool].place)) {
      schedule_in(kRegistrationRetry, kNodeUp, payload);  // its region is down: not yet
      return true;
    }
    l.done = true;
    const std::uint32_t node = core_.add_node(l.pool, l.type);
    on_node_registered(static_cast<std::uint32_t>(payload), node);
    return true;
  }
  if (local_kind == kLaunchTimeout) {
    if (!launches_[payload].done) on_launch_failed(static_cast<std::uint32_t>(payload));
    return true;
  }
  if (local_kind == kNodeGone) {
    const auto& [pool, price] = gone_[payload];
    core_.bill_node(pool, price, -1);
    return true;
  }
  return false;
}

std::uint32_t NodeAutoscalerBase::launch(std::uint32_t pool, const InstanceType& type,
                                         SimTime give_up_after) {
  const auto index = static_cast<std::uint32_t>(launches_.size());
  launches_.push_back({pool, type, false});
  core_.bill_node(pool, type.price_usd_per_hour, +1);
  const double seconds = core_.config().pools[pool].scaling.provisioning.sample(rng());
  const SimTime delay = std::llround(std::max(0.0, seconds) * 1e9);
  // A node not registered by then is given up (it may be late, or its region down).
  if (give_up_after > 0) schedule_in(give_up_after, kLaunchTimeout, index);
  if (give_up_after == 0 || delay <= give_up_after) schedule_in(delay, kNodeUp, index);
  return index;
}

void NodeAutoscalerBase::abandon(std::uint32_t launch) {
  Launch& l = launches_[launch];
  if (l.done) return;
  l.done = true;
  core_.bill_node(l.pool, l.type.price_usd_per_hour, -1);
}

void NodeAutoscalerBase::retire(std::uint32_t node, const char* taint_key) {
  retiring_.push_back(node);
  core_.drain_node(node, taint_key);
}

bool NodeAutoscalerBase::retiring(std::uint32_t node) const {
  return std::find(retiring_.begin(), retiring_.end(), node) != retiring_.end();
}

void NodeAutoscalerBase::finish_retirements() {
  std::vector<std::uint32_t> still;
  for (std::uint32_t node : retiring_) {
    if (!core_.pods_on(node).empty()) {
      still.push_back(node);
      continue;
    }
    const auto pool = static_cast<std::uint32_t>(core_.node_pool(node));
    const double price = core_.node_price(node);
    core_.remove_node(node);
    const double seconds = core_.config().pools[pool].scaling.deletion.sample(rng());
    gone_.emplace_back(pool, price);
    schedule_in(std::llround(std::max(0.0, seconds) * 1e9), kNodeGone, gone_.size() - 1);
  }
  retiring_.swap(still);
}

std::vector<std::uint32_t> NodeAutoscalerBase::managed_nodes() const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t n = 0; n < core_.node_count(); ++n) {
    const std::int32_t pool = core_.node_pool(n);
    if (pool < 0 || core_.node_removed(n) || retiring(n)) continue;
    if (std::find(pools_.begin(), pools_.end(), static_cast<std::uint32_t>(pool)) != pools_.end())
      out.push_back(n);
  }
  return out;
}

std::uint32_t NodeAutoscalerBase::launches_in_flight(std::uint32_t pool) const {
  std::uint32_t n = 0;
  for (const Launch& l : launches_)
    n += !l.done && l.pool == pool ? 1 : 0;
  return n;
}

std::uint32_t NodeAutoscalerBase::live_nodes(std::uint32_t pool) const {
  std::uint32_t n = 0;
  for (std::uint32_t node = 0; node < core_.node_count(); ++node) {
    if (core_.node_pool(node) == static_cast<std::int32_t>(pool) && !core_.node_removed(node) &&
        !retiring(node))
      ++n;
  }
  return n;
}

PackPod NodeAutoscalerBase::pack_pod(std::uint32_t pod) const {
  const Pod& p = core_.pod(pod);
  const scheduling::PreparedPod& spec = core_.prepared(p.deployment, p.home);
  return {p.deployment, spec.cpu_milli, spec.memory_bytes, pod};
}

std::vector<PackPod> NodeAutoscalerBase::pods_on(std::uint32_t node) const {
  std::vector<PackPod> out;
  for (std::uint32_t p : core_.pods_on(node))
    out.push_back(pack_pod(p));
  return out;
}

std::vector<PackBin> NodeAutoscalerBase::other_bins(std::uint32_t place,
                                                    const std::vector<std::uint32_t>& excluded) {
  std::vector<PackBin> bins;
  const PlaceRuntime& rt = core_.place(place);
  for (std::size_t n = 0; n < rt.table.size(); ++n) {
    const std::uint32_t node = rt.global_of[n];
    if (core_.node_removed(node) || core_.node_down(node) || rt.nodes[n].unreachable ||
        retiring(node) || std::binary_search(excluded.begin(), excluded.end(), node))
      continue;
    bins.push_back(bin_of(rt.table, static_cast<scheduling::NodeIndex>(n), node));
  }
  return bins;
}

std::vector<PackPod> NodeAutoscalerBase::unschedulable(SimTime min_age) const {
  std::vector<PackPod> out;
  const FleetConfig& config = core_.config();
  for (std::uint32_t p : core_.pending()) {
    const Pod& pod = core_.pod(p);
    if (pod.state != PodState::pending || config.places[pod.home].edge) continue;
    if (core_.now() - pod.created < min_age) continue;
    out.push_back(pack_pod(p));
  }
  return out;
}

AcceptsClass NodeAutoscalerBase::accepts_in(std::uint32_t place) {
  return [this, place](std::uint32_t deployment, scheduling::ClassId c) {
    return core_.accepts(deployment, place, c);
  };
}

void NodeAutoscalerBase::note_unhelpable(std::uint32_t pod) {
  const Pod& p = core_.pod(pod);
  if (core_.now() < core_.config().warmup) return;
  if (unhelpable_.insert({pod, p.created}).second) ++unhelpable_by_deployment_[p.deployment];
}

double NodeAutoscalerBase::utilisation(std::uint32_t node) const {
  const scheduling::NodeTable& t = core_.place(core_.node_place(node)).table;
  const scheduling::NodeIndex n = core_.node_local(node);
  const double cpu = t.cpu_alloc_[n] > 0 ? static_cast<double>(t.cpu_requested(n)) /
                                               static_cast<double>(t.cpu_alloc_[n])
                                         : 0.0;
  const double mem = t.mem_alloc_[n] > 0 ? static_cast<double>(t.mem_requested(n)) /
                                               static_cast<double>(t.mem_alloc_[n])
                                         : 0.0;
  return std::max(cpu, mem);
}

void NodeAutoscalerBase::restart_statistics(SimTime) {
  unhelpable_.clear();
  std::fill(unhelpable_by_deployment_.begin(), unhelpable_by_deployment_.end(), 0);
}

void NodeAutoscalerBase::export_metrics(SimTime, MetricMap& m) {
  // kubetwin extension (docs/metrics.md): pods no pool of this autoscaler could take.
  const FleetConfig& config = core_.config();
  double total = m.count("pods.unschedulable") ? m["pods.unschedulable"] : 0.0;
  for (const FleetWorkload& w : config.workloads) {
    if (w.group >= 0) continue;
    const std::string key = "workloads." + w.name + ".pods.unschedulable";
    const double before = m.count(key) ? m[key] : 0.0;
    m[key] = before + static_cast<double>(unhelpable_by_deployment_[w.deployment]);
  }
  for (std::uint64_t n : unhelpable_by_deployment_)
    total += static_cast<double>(n);
  m["pods.unschedulable"] = total;
}

}  // namespace kt::models
