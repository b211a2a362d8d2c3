// The fleet core's assembly: places, nodes and Deployments from the config, components and
// their kinds and streams, the start of a run, the end of the warm-up, the metrics at the end.

#include <algorithm>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

namespace {

// A component's stream id: far above any LP id, so no LP shares it.
constexpr std::uint64_t kComponentStreamBase = 1ull << 40;
constexpr std::uint64_t kRoutingStream = (1ull << 40) - 1;

}  // namespace

FleetCore::FleetCore(const FleetConfig& config) : config_(config) {
  for (std::size_t p = 0; p < config.places.size(); ++p) {
    graph_.add_place(config.places[p].name, config.places[p].edge);
    places_.push_back(std::make_unique<PlaceRuntime>());
  }
  for (const LinkConfig& l : config.links)
    graph_.add_link(l.a, l.b, l.latency);
  pools_.resize(config.pools.size());
  for (std::size_t p = 0; p < places_.size(); ++p) {
    PlaceRuntime& place = *places_[p];
    for (const NodePoolConfig& pool : config.pools) {
      if (pool.place != p) continue;
      for (std::uint32_t i = 0; i < pool.count; ++i) {
        scheduling::NodeShape shape;
        shape.cpu_milli = pool.cpu_milli;
        shape.memory_bytes = pool.memory_bytes;
        shape.labels = pool.labels;
        shape.taints = pool.taints;
        place.table.add(shape);
        NodeRuntime node;
        node.base_taints = pool.taints;
        node.usd_per_hour = pool.price_usd_per_hour;
        place.nodes.push_back(node);
        node_pool_.push_back(static_cast<std::int32_t>(&pool - config.pools.data()));
        node_place_.push_back(static_cast<std::uint32_t>(p));
        node_local_.push_back(static_cast<std::uint32_t>(place.global_of.size()));
        place.global_of.push_back(static_cast<std::uint32_t>(node_place_.size() - 1));
      }
      place.price_usd_per_hour += pool.price_usd_per_hour * pool.count;
      place.cpu_alloc_milli += static_cast<double>(pool.cpu_milli) * pool.count;
      place.node_count.add(0, pool.count);
      PoolRuntime& rt = pools_[static_cast<std::size_t>(&pool - config.pools.data())];
      rt.nodes.set(0, pool.count);
      rt.price_rate.set(0, pool.price_usd_per_hour * pool.count);
      total_nodes_.add(0, pool.count);
      if (pool.scaling.autoscaler != NodeAutoscaler::none) place.dynamic = true;
    }
    place.price_rate.set(0, place.price_usd_per_hour);
    place.cpu_alloc.set(0, place.cpu_alloc_milli);
    place.pods_on_node.resize(place.table.size());
    place.scheduler = std::make_unique<scheduling::Scheduler>(place.table, config.scheduler);
  }
  std::vector<std::string> images;
  for (const FleetDeployment& d : config.deployments) {
    DeploymentRuntime rt;
    scheduling::PodSpecView view;
    view.cpu_milli = d.cpu_milli + d.overhead_cpu_milli;
    view.memory_bytes = d.memory_bytes + d.overhead_memory_bytes;
    view.node_selector = d.node_selector;
    view.node_affinity = d.node_affinity;
    view.tolerations = d.tolerations;
    // Upstream's DefaultTolerationSeconds admission adds these to every pod.
    for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
      k8s::Toleration t;
      t.key = key;
      t.op = k8s::Toleration::Op::Exists;
      t.effect = k8s::TaintEffect::NoExecute;
      t.toleration_seconds = config.timings.unreachable_toleration / kSecond;
      view.tolerations.push_back(t);
    }
    for (auto& place : places_)
      rt.prepared.push_back(place->scheduler->prepare(view));
    rt.pods.resize(places_.size());
    rt.ready_sets.resize(places_.size());
    // Edge sites are nodes of their region's cluster: a pod created there may land on them
    // when its selector and tolerations pass on some node of the site.
    rt.spill.resize(places_.size());
    rt.run_places = d.places;
    for (std::uint32_t home : d.places) {
      for (std::uint32_t s = 0; s < config.places.size(); ++s) {
        if (config.places[s].cluster != static_cast<std::int32_t>(home)) continue;
        const auto& ok = rt.prepared[s].class_ok;
        if (std::find(ok.begin(), ok.end(), 1) == ok.end()) continue;
        rt.spill[home].push_back(s);
        if (std::find(rt.run_places.begin(), rt.run_places.end(), s) == rt.run_places.end())
          rt.run_places.push_back(s);
      }
    }
    rt.desired = static_cast<std::int32_t>(d.replicas);
    const auto it = std::find(images.begin(), images.end(), d.image);
    rt.image = static_cast<std::uint32_t>(it - images.begin());
    if (it == images.end()) images.push_back(d.image);
    deployments_.push_back(std::move(rt));
  }
  for (const FleetDeployment& d : config.deployments) {
    concurrency_.push_back(d.concurrency);
    queue_limit_.push_back(d.queue_limit);
    const double cpu = static_cast<double>(d.cpu_milli > 0 ? d.cpu_milli : 100);
    cpu_per_request_.push_back(cpu / (d.cpu_slots > 0 ? d.cpu_slots : d.concurrency));
    error_rate_.push_back(d.error_rate);
  }
  uplinks_of_.resize(places_.size());
  for (std::size_t p = 0; p < places_.size(); ++p) {
    place_reported_.push_back(!config.places[p].implicit);
    place_has_cpu_.push_back(places_[p]->cpu_alloc_milli > 0 || places_[p]->dynamic);
    place_edge_.push_back(config.places[p].edge);
    offline_.push_back(0);
    place_limited_.push_back(0);
  }
  for (std::uint32_t l = 0; l < config.links.size(); ++l) {
    const LinkConfig& link = config.links[l];
    link_up_.push_back(1);
    if (!config.places[link.a].edge) continue;  // a link between regions
    uplinks_of_[link.a].push_back(l);
    if (link.bytes_per_s > 0) {
      place_limited_[link.a] = 1;
      links_limited_ = true;
    }
  }
  link_free_[0].assign(config.links.size(), 0);
  link_free_[1].assign(config.links.size(), 0);
  for (const FleetWorkload& w : config.workloads) {
    const FleetDeployment& d = config.deployments[w.deployment];
    const bool single = w.backends.size() <= 1 && w.split.empty() && d.places.size() == 1 &&
                        deployments_[w.deployment].run_places.size() == 1;
    workload_route_.push_back(
        {w.deployment, w.origin, single ? d.places.front() : kNone, w.load_balancing, w.timeout});
  }
  owner_.assign(config.deployments.size(), nullptr);
  tracks_busy_.assign(config.deployments.size(), 0);
  arrival_hook_.assign(config.deployments.size(), 0);
  workload_stats_.resize(config.workloads.size());
  if (!config.latency_buckets.empty()) {
    for (RequestStats& s : workload_stats_)
      s.interval_buckets.assign(config.latency_buckets.size() + 1, 0);
  }
  group_ready_.resize(config.groups.size());
  for (std::size_t w = 0; w < config.workloads.size(); ++w)
    workload_stats_[w].retried = config.workloads[w].retry_attempts > 0;
  union_next_.assign(config.workloads.size(), 0);
}

void FleetCore::seed_routing(std::uint64_t seed, std::uint64_t replication) {
  route_rng_ = RandomStream(seed, replication, kRoutingStream);
}

void FleetCore::add_slot(FleetComponent& c, Dispatch dispatch, std::uint64_t seed,
                         std::uint64_t replication) {
  c.id_ = static_cast<std::uint32_t>(components_.size());
  c.first_kind_ = static_cast<EventKind>(kFirstComponentKind + c.id_ * FleetComponent::kKinds);
  c.rng_ = RandomStream(seed, replication, kComponentStreamBase + c.id_);
  components_.push_back({&c, dispatch});
}

void FleetCore::set_owner(std::uint32_t deployment, FleetComponent& owner) {
  owner_[deployment] = &owner;
}

void FleetCore::start(Simulation& sim, LpId self) {
  sim_ = &sim;
  self_ = self;
  for (ComponentSlot& slot : components_)
    slot.component->start();
  sim.schedule(self, 0, kRetryPending);  // creates the initial pods at time 0
  retry_scheduled_ = true;
  sim_ = nullptr;
}

void FleetCore::schedule(const FleetComponent& c, SimTime at, EventKind local_kind,
                         std::uint64_t payload, std::uint16_t aux) {
  const auto kind = static_cast<EventKind>(c.first_kind_ + local_kind);
  if (ctx_) {
    ctx_->schedule(self_, at, kind, payload, aux);
  } else {
    sim_->schedule(self_, at, kind, payload, aux);
  }
}

void FleetComponent::schedule_at(SimTime at, EventKind local_kind, std::uint64_t payload,
                                 std::uint16_t aux) {
  core_.schedule(*this, at, local_kind, payload, aux);
}

void FleetComponent::schedule_in(SimTime delay, EventKind local_kind, std::uint64_t payload,
                                 std::uint16_t aux) {
  core_.schedule(*this, core_.now() + delay, local_kind, payload, aux);
}

void FleetCore::restart_statistics(SimTime at) {
  for (auto& place : places_) {
    place->cpu_busy_milli.restart(at);
    place->ready_pods.restart(at);
  }
  for (TimeWeighted& g : group_ready_)
    g.restart(at);
  for (DeploymentRuntime& rt : deployments_) {
    rt.ready_tw.restart(at);
    // What happened before the warm-up's end is not counted; a recovery still under way
    // keeps its start.
    rt.recovery_max = 0;
    rt.recoveries = 0;
    rt.rto_missed = 0;
    rt.pending_max = 0;
  }
  pending_max_ = 0;
  for (auto& place : places_) {
    place->price_rate.restart(at);
    place->cpu_alloc.restart(at);
    place->node_count.restart(at);
    place->pending_times = PendingTimes{};
    place->pending_max = 0;
  }
  for (PoolRuntime& pool : pools_) {
    pool.nodes.restart(at);
    pool.price_rate.restart(at);
    pool.provisioned = 0;
    pool.removed = 0;
  }
  total_nodes_.restart(at);
  for (DeploymentRuntime& rt : deployments_)
    rt.pending_times = PendingTimes{};
  note_pending();  // the pods pending now are the first maxima
  for (ComponentSlot& slot : components_)
    slot.component->restart_statistics(at);
}

void FleetCore::export_metrics(SimTime end, MetricMap& out) {
  for (ComponentSlot& slot : components_)
    slot.component->export_metrics(end, out);
}

double FleetCore::take_outstanding_area(std::uint32_t deployment) {
  DeploymentRuntime& rt = deployments_[deployment];
  const SimTime now = ctx_->now();
  rt.outstanding_area +=
      static_cast<double>(rt.outstanding) * static_cast<double>(now - rt.outstanding_since);
  rt.outstanding_since = now;
  const double area = rt.outstanding_area;
  rt.outstanding_area = 0;
  return area;
}

double FleetCore::take_busy_area(std::uint32_t deployment) {
  DeploymentRuntime& rt = deployments_[deployment];
  const SimTime now = ctx_->now();
  rt.busy_area += static_cast<double>(rt.busy) * static_cast<double>(now - rt.busy_since);
  rt.busy_since = now;
  const double area = rt.busy_area;
  rt.busy_area = 0;
  return area;
}

}  // namespace kt::models
