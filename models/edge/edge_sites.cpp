#include "models/edge/edge_sites.hpp"

#include <algorithm>

#include "models/cluster/fleet_core.hpp"

namespace kt::edge {

using models::FleetCore;
using models::kNone;
using models::PodState;

EdgeSites::EdgeSites(FleetCore& core) : FleetComponent(core) {
  const models::FleetConfig& config = core.config();
  site_index_.assign(config.places.size(), -1);
  for (const models::LinkConfig& l : config.links) {
    if (!config.places[l.a].edge || site_index_[l.a] >= 0) continue;
    Site s;
    s.place = l.a;
    s.cluster = config.places[l.a].cluster >= 0
                    ? static_cast<std::uint32_t>(config.places[l.a].cluster)
                    : l.b;
    s.capacity = config.places[l.a].buffer;
    for (std::uint32_t g = 0; g < core.node_count(); ++g) {
      if (core.node_place(g) == l.a) s.nodes.push_back(g);
    }
    s.up.set(0, 1);
    site_index_[l.a] = static_cast<std::int32_t>(sites_.size());
    sites_.push_back(std::move(s));
  }
  down_count_.assign(config.links.size(), 0);
  has_outages_ = !config.edge.outages.empty();
  for (const models::FleetDeployment& d : config.deployments) {
    toleration_ns_.push_back(
        k8s::unreachable_eviction_delay(d.tolerations, config.timings.unreachable_toleration));
  }
  // Requests from a site may be refused by its full buffer: requests.dropped applies.
  if (config.edge.mode == OutageMode::tolerate) {
    for (std::uint32_t w = 0; w < config.workloads.size(); ++w) {
      if (site_index_[config.workloads[w].origin] >= 0) core.workload_stats(w).bounded = true;
    }
  }
}

void EdgeSites::start() {
  // Fixed intervals (a trace, linkOutage faults): the on/off processes come from exogenous
  // sources (run_fleet).
  for (const UplinkOutages& o : core_.config().edge.outages) {
    for (const auto& [from, to] : o.intervals) {
      schedule_at(from, kLinkDown, o.link);
      schedule_at(to, kLinkUp, o.link);
    }
  }
}

void EdgeSites::handle(EventKind local_kind, std::uint64_t payload, std::uint16_t aux) {
  switch (local_kind) {
    case kLinkDown:
    case kLinkUp:
      link_changed(static_cast<std::uint32_t>(payload), local_kind == kLinkDown);
      break;
    case kNotReady:
      not_ready(static_cast<std::uint32_t>(payload), aux);
      break;
    case kEvict: {
      const auto pod = static_cast<std::uint32_t>(payload & 0xFFFFFFFFu);
      evict(pod, static_cast<std::uint16_t>(payload >> 32), aux, core_.pod(pod).place);
      break;
    }
    default:
      break;
  }
}

EdgeSites::Site* EdgeSites::site_of_place(std::uint32_t place) {
  const std::int32_t i = site_index_[place];
  return i < 0 ? nullptr : &sites_[static_cast<std::size_t>(i)];
}

// A link is down while any of its reasons (its on/off process, a trace interval, a fault)
// holds; a site is cut off while no path of links that are up reaches its control plane.
void EdgeSites::link_changed(std::uint32_t link, bool down) {
  std::uint32_t& count = down_count_[link];
  const bool was_up = count == 0;
  if (down) {
    ++count;
  } else if (count > 0) {
    --count;
  }
  if (was_up == (count == 0)) return;
  core_.set_uplink_up(link, count == 0);
  for (Site& s : sites_) {
    const bool connected = core_.latency(s.place, s.cluster) != kTimeMax;
    if (connected == s.connected) continue;
    connected ? reconnected(s) : cut_off(s);
  }
}

void EdgeSites::cut_off(Site& site) {
  site.connected = false;
  ++site.cut;
  site.up.set(core_.now(), 0);
  core_.set_offline(site.place, true);
  if (core_.config().edge.mode == OutageMode::evict) {
    schedule_in(core_.config().timings.node_monitor_grace_period, kNotReady,
                static_cast<std::uint64_t>(&site - sites_.data()), site.cut);
  }
}

// The node lifecycle controller has not heard from the site's nodes for the grace period:
// NotReady, tainted unreachable; the taint-eviction controller times each pod's eviction.
void EdgeSites::not_ready(std::uint32_t index, std::uint16_t cut) {
  Site& site = sites_[index];
  if (site.connected || site.cut != cut) return;
  for (std::uint32_t node : site.nodes) {
    core_.partition_node(node);
    for (std::uint32_t p : core_.pods_on(node)) {
      const models::Pod& pod = core_.pod(p);
      if (pod.orphaned || pod.state == PodState::gone) continue;
      const std::int64_t delay = toleration_ns_[pod.deployment];
      if (delay < 0) continue;  // tolerates unreachable nodes forever
      schedule_in(delay, kEvict, p | static_cast<std::uint64_t>(pod.generation) << 32, cut);
    }
  }
}

void EdgeSites::evict(std::uint32_t p, std::uint16_t generation, std::uint16_t cut,
                      std::uint32_t place) {
  Site* site = site_of_place(place);
  const models::Pod& pod = core_.pod(p);
  if (!site || site->connected || site->cut != cut || pod.generation != generation ||
      pod.orphaned || pod.state == PodState::gone) {
    return;
  }
  const std::uint32_t deployment = pod.deployment;
  const std::uint32_t ref = pod.owner_ref;
  core_.orphan_pod(p);
  if (ref != kNone) {
    core_.notify_evicted(deployment, ref);
  } else {
    core_.reconcile(deployment);  // its owner replaces it where it fits
  }
  core_.after_change();
}

// The site reaches its control plane again: the kubelets learn of the deletions (the evicted
// pods terminate), the taints go, and the buffer is forwarded in arrival order.
void EdgeSites::reconnected(Site& site) {
  site.connected = true;
  ++site.cut;
  site.up.set(core_.now(), 1);
  core_.set_offline(site.place, false);
  for (std::uint32_t node : site.nodes) {
    std::vector<std::uint32_t> orphans;
    for (std::uint32_t p : core_.pods_on(node)) {
      if (core_.pod(p).orphaned) orphans.push_back(p);
    }
    for (std::uint32_t p : orphans)
      core_.delete_pod(p);
    core_.heal_node(node);
  }
  while (!site.buffer.empty()) {
    const Held h = site.buffer.front();
    site.buffer.pop_front();
    core_.send_request(h.workload, h.service, h.arrived);
  }
  core_.after_change();
}

bool EdgeSites::on_unroutable(std::uint32_t workload, SimTime service, SimTime arrived) {
  if (core_.config().edge.mode != OutageMode::tolerate) return false;
  Site* site = site_of_place(core_.config().workloads[workload].origin);
  if (!site || site->connected) return false;
  if (site->buffer.size() >= site->capacity) {
    core_.drop_request_of(workload);
    if (core_.now() >= core_.config().warmup) ++site->dropped;
    return true;
  }
  site->buffer.push_back({workload, service, arrived});
  if (core_.now() >= core_.config().warmup) ++core_.workload_stats(workload).offline;
  return true;
}

void EdgeSites::restart_statistics(SimTime at) {
  for (Site& s : sites_) {
    s.up.restart(at);
    s.dropped = 0;
  }
}

void EdgeSites::export_metrics(SimTime end, models::MetricMap& out) {
  const models::FleetConfig& config = core_.config();
  double availability = 0;
  std::uint64_t offline = 0;
  for (const Site& s : sites_) {
    const std::string prefix = "sites." + config.places[s.place].name + ".";
    const double a = s.up.mean(end);
    std::uint64_t site_offline = 0;
    for (std::uint32_t w = 0; w < config.workloads.size(); ++w) {
      if (config.workloads[w].origin == s.place) site_offline += core_.workload_stats(w).offline;
    }
    out[prefix + "edge.uplink.availability"] = a;
    out[prefix + "edge.requests.offline"] = static_cast<double>(site_offline);
    if (config.edge.mode == OutageMode::tolerate) {
      out[prefix + "requests.dropped"] = static_cast<double>(s.dropped);
    }
    availability += a;
    offline += site_offline;
  }
  for (std::uint32_t w = 0; w < config.workloads.size(); ++w) {
    const models::FleetWorkload& wl = config.workloads[w];
    if (site_index_[wl.origin] < 0 || wl.group >= 0) continue;
    out["workloads." + wl.name + ".edge.requests.offline"] =
        static_cast<double>(core_.workload_stats(w).offline);
  }
  if (sites_.empty()) return;  // only links between regions fail
  out["edge.uplink.availability"] = availability / static_cast<double>(sites_.size());
  out["edge.requests.offline"] = static_cast<double>(offline);
}

void EdgeSites::series_columns(std::vector<std::string>& columns) const {
  for (const Site& s : sites_) {
    const std::string& name = core_.config().places[s.place].name;
    columns.push_back(name + ".uplink_up");
    columns.push_back(name + ".buffer");
  }
}

void EdgeSites::series_values(std::vector<double>& row) const {
  for (const Site& s : sites_) {
    row.push_back(s.connected ? 1 : 0);
    row.push_back(static_cast<double>(s.buffer.size()));
  }
}

}  // namespace kt::edge
