#include "models/cluster/cluster_autoscaler.hpp"

#include <algorithm>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

namespace {

// The taint cluster-autoscaler puts on a node it removes (utils/taints: ToBeDeletedTaint).
constexpr const char* kToBeDeleted = "ToBeDeletedByClusterAutoscaler";

}  // namespace

ClusterAutoscaler::ClusterAutoscaler(FleetCore& core)
    : NodeAutoscalerBase(core, NodeAutoscaler::cluster_autoscaler) {
  groups_.resize(pools_.size());
}

void ClusterAutoscaler::start() {
  schedule_at(core_.config().cluster_autoscaler.scan_interval, kScan);
}

void ClusterAutoscaler::handle(EventKind local_kind, std::uint64_t payload, std::uint16_t) {
  if (handle_base(local_kind, payload)) return;
  scan();
  schedule_in(core_.config().cluster_autoscaler.scan_interval, kScan);
}

InstanceType ClusterAutoscaler::node_type(std::uint32_t pool) const {
  // A node group has one machine type: the pool's own shape.
  const NodePoolConfig& p = core_.config().pools[pool];
  return {"", p.cpu_milli, p.memory_bytes, p.price_usd_per_hour};
}

PackBin ClusterAutoscaler::template_bin(std::uint32_t pool, std::uint32_t id) {
  const NodePoolConfig& p = core_.config().pools[pool];
  return {p.cpu_milli, p.memory_bytes, scheduling::kDefaultMaxPods, core_.template_class(pool, ""),
          id};
}

std::uint32_t ClusterAutoscaler::total_nodes() const {
  return static_cast<std::uint32_t>(core_.total_nodes().current());
}

void ClusterAutoscaler::scan() {
  // The scheduler has its chance first: only pods it cannot place count as unschedulable.
  core_.schedule_pending();
  finish_retirements();
  if (!scale_up()) scale_down();
}

void ClusterAutoscaler::drop_those_upcoming_nodes_take(std::vector<PackPod>& pods) {
  const FleetConfig& config = core_.config();
  for (std::uint32_t place = 0; place < config.places.size(); ++place) {
    std::vector<PackBin> bins;
    for (const Launch& l : launches()) {
      if (!l.done && config.pools[l.pool].place == place) bins.push_back(template_bin(l.pool, 0));
    }
    if (bins.empty()) continue;
    const AcceptsClass accepts = accepts_in(place);
    std::vector<PackPod> kept;
    for (const PackPod& pod : pods) {
      if (core_.pod(pod.id).home != place || first_fit(pod, bins, accepts) < 0) kept.push_back(pod);
    }
    pods.swap(kept);
  }
}

bool ClusterAutoscaler::scale_up() {
  const FleetConfig& config = core_.config();
  const ClusterAutoscalerConfig& ca = config.cluster_autoscaler;
  std::vector<PackPod> pods = unschedulable(ca.new_pod_scale_up_delay);
  drop_those_upcoming_nodes_take(pods);
  if (pods.empty()) return false;
  std::vector<bool> helpable(pods.size(), false);
  std::vector<Option> options;
  const SimTime now = core_.now();
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const std::uint32_t pool = pools_[g];
    const std::uint32_t place = config.pools[pool].place;
    const AcceptsClass accepts = accepts_in(place);
    const PackBin node = template_bin(pool, 0);
    std::vector<PackPod> fitting;
    for (std::size_t i = 0; i < pods.size(); ++i) {
      if (core_.pod(pods[i].id).home != place || !fits(pods[i], node) ||
          !accepts(pods[i].deployment, node.node_class))
        continue;
      helpable[i] = true;
      fitting.push_back(pods[i]);
    }
    if (fitting.empty() || now < groups_[g].backoff_until) continue;
    const std::int64_t size = live_nodes(pool) + launches_in_flight(pool);
    std::int64_t room = static_cast<std::int64_t>(config.pools[pool].scaling.max) - size;
    if (ca.max_nodes_total > 0)
      room = std::min<std::int64_t>(room, static_cast<std::int64_t>(ca.max_nodes_total) -
                                              static_cast<std::int64_t>(total_nodes()));
    if (room <= 0) continue;
    // The binpacking estimator: first fit, largest first, a new node when none fits.
    order_largest_first(fitting, node.cpu_free, node.memory_free);
    Option option{g, 0, {}};
    std::vector<PackBin> bins;
    for (const PackPod& pod : fitting) {
      if (first_fit(pod, bins, accepts) < 0) {
        if (static_cast<std::int64_t>(bins.size()) >= room) continue;  // the limiter stops it
        bins.push_back(node);
        first_fit(pod, bins, accepts);
      }
      option.pods.push_back(pod);
    }
    option.nodes = static_cast<std::uint32_t>(bins.size());
    options.push_back(std::move(option));
  }
  for (std::size_t i = 0; i < pods.size(); ++i) {
    if (!helpable[i]) note_unhelpable(pods[i].id);
  }
  if (options.empty()) return false;
  const Option& best = options[choose(options)];
  const std::uint32_t pool = pools_[best.group];
  for (std::uint32_t k = 0; k < best.nodes; ++k)
    launch(pool, node_type(pool), ca.max_node_provision_time);
  last_scale_up_ = now;
  return true;
}

std::size_t ClusterAutoscaler::choose(const std::vector<Option>& options) {
  using E = ClusterAutoscalerConfig::Expander;
  const FleetConfig& config = core_.config();
  const E expander = config.cluster_autoscaler.expander;
  // Each expander keeps its best options; ties are broken at random (upstream's fallback).
  std::vector<double> score(options.size(), 0.0);  // lower is better
  for (std::size_t i = 0; i < options.size(); ++i) {
    const Option& o = options[i];
    const NodePoolConfig& pool = config.pools[pools_[o.group]];
    std::int64_t cpu = 0;
    std::int64_t mem = 0;
    for (const PackPod& p : o.pods) {
      cpu += p.cpu_milli;
      mem += p.memory_bytes;
    }
    const double avail_cpu = static_cast<double>(pool.cpu_milli) * o.nodes;
    const double avail_mem = static_cast<double>(pool.memory_bytes) * o.nodes;
    switch (expander) {
      case E::random:
        break;
      case E::most_pods:
        score[i] = -static_cast<double>(o.pods.size());
        break;
      case E::least_waste:  // expander/waste: wasted cpu share + wasted memory share
        score[i] = (avail_cpu - static_cast<double>(cpu)) / avail_cpu +
                   (avail_mem - static_cast<double>(mem)) / avail_mem;
        break;
      case E::price:  // the new nodes' price per pod they take
        score[i] = pool.price_usd_per_hour * o.nodes / static_cast<double>(o.pods.size());
        break;
      case E::priority:
        score[i] = -static_cast<double>(pool.scaling.priority);
        break;
    }
  }
  const double best = *std::min_element(score.begin(), score.end());
  std::vector<std::size_t> tied;
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (score[i] == best) tied.push_back(i);
  }
  return tied.size() == 1 ? tied.front() : tied[rng().next_below(tied.size())];
}

void ClusterAutoscaler::on_launch_failed(std::uint32_t launch) {
  // max-node-provision-time passed: the node is deleted and its group backs off.
  abandon(launch);
  const auto it = std::find(pools_.begin(), pools_.end(), launches()[launch].pool);
  Group& g = groups_[static_cast<std::size_t>(it - pools_.begin())];
  const ClusterAutoscalerConfig& ca = core_.config().cluster_autoscaler;
  g.backoff = g.backoff == 0 ? ca.initial_node_group_backoff
                             : std::min(2 * g.backoff, ca.max_node_group_backoff);
  g.backoff_until = core_.now() + g.backoff;
}

void ClusterAutoscaler::scale_down() {
  const FleetConfig& config = core_.config();
  const ClusterAutoscalerConfig& ca = config.cluster_autoscaler;
  const SimTime now = core_.now();
  if (unneeded_since_.size() < core_.node_count()) unneeded_since_.resize(core_.node_count(), -1);
  const bool cooling =
      (last_scale_up_ >= 0 && now < last_scale_up_ + ca.scale_down_delay_after_add) ||
      (last_removal_ >= 0 && now < last_removal_ + ca.scale_down_delay_after_delete);
  // Which nodes are unneeded, in node order; each one's pods are placed (in the simulation)
  // on the nodes that stay, so that later candidates see that room taken.
  std::vector<std::uint32_t> removable;  // chosen this pass
  std::vector<std::uint32_t> unneeded;
  std::vector<std::vector<PackBin>> room(config.places.size());
  std::vector<bool> room_built(config.places.size(), false);
  for (std::uint32_t node : managed_nodes()) {
    const std::uint32_t place = core_.node_place(node);
    bool ok = !core_.node_down(node) && utilisation(node) < ca.scale_down_utilization_threshold &&
              core_.node_drainable(node);
    if (ok) {
      if (!room_built[place]) {
        room[place] = other_bins(place, {});
        room_built[place] = true;
      }
      // The others: every bin but this node's own and those of nodes already unneeded.
      std::vector<PackBin> trial;
      for (const PackBin& b : room[place]) {
        if (b.id != node && std::find(unneeded.begin(), unneeded.end(), b.id) == unneeded.end())
          trial.push_back(b);
      }
      std::vector<PackPod> pods = pods_on(node);
      order_largest_first(pods, core_.place(place).table.cpu_alloc_[core_.node_local(node)],
                          core_.place(place).table.mem_alloc_[core_.node_local(node)]);
      ok = pack_all(pods, trial, accepts_in(place));
      if (ok) {
        // Keep what the move took: copy the trial's room back onto the place's bins.
        for (PackBin& b : room[place]) {
          for (const PackBin& t : trial) {
            if (t.id == b.id) b = t;
          }
        }
      }
    }
    if (!ok) {
      unneeded_since_[node] = -1;
      continue;
    }
    if (unneeded_since_[node] < 0) unneeded_since_[node] = now;
    unneeded.push_back(node);
  }
  if (cooling) return;
  // Remove those unneeded long enough: empty ones in bulk, one with pods at a time, never
  // below a pool's minimum.
  std::vector<std::uint32_t> size(config.pools.size(), 0);
  for (std::uint32_t pool : pools_)
    size[pool] = live_nodes(pool);
  std::uint32_t empty_removed = 0;
  bool drained = false;
  for (std::uint32_t node : unneeded) {
    if (now - unneeded_since_[node] < ca.scale_down_unneeded_time) continue;
    const auto pool = static_cast<std::uint32_t>(core_.node_pool(node));
    if (size[pool] <= config.pools[pool].scaling.min) continue;
    const bool empty = core_.pods_on(node).empty();
    if (empty ? empty_removed >= ca.max_empty_bulk_delete : drained) continue;
    if (empty) {
      ++empty_removed;
    } else {
      drained = true;
    }
    --size[pool];
    unneeded_since_[node] = -1;
    removable.push_back(node);
  }
  for (std::uint32_t node : removable)
    retire(node, kToBeDeleted);
  if (!removable.empty()) {
    last_removal_ = now;
    finish_retirements();  // empty ones go at once
  }
}

}  // namespace kt::models
