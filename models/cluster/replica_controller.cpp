#include "models/cluster/replica_controller.hpp"

#include <algorithm>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

// What each placement strategy weighs, per Deployment and place: the manifest's weight;
// the price of one pod (the cheapest CPU among the place's pools, times the pod's CPU
// request); the demand-weighted latency from the workloads' origins; the pods that fit.
ReplicaController::ReplicaController(FleetCore& core) : FleetComponent(core) {
  const FleetConfig& config = core.config();
  options_.resize(config.deployments.size());
  for (std::size_t d = 0; d < config.deployments.size(); ++d) {
    const FleetDeployment& dep = config.deployments[d];
    const std::int64_t cpu = dep.cpu_milli + dep.overhead_cpu_milli;
    const std::int64_t mem = dep.memory_bytes + dep.overhead_memory_bytes;
    const double pod_cpu = static_cast<double>(cpu > 0 ? cpu : 100);
    const double pod_mem = static_cast<double>(mem > 0 ? mem : 1);
    for (std::size_t i = 0; i < dep.places.size(); ++i) {
      const std::uint32_t place = dep.places[i];
      multicloud::RegionOption o;
      o.name = config.places[place].name;
      o.weight = i < dep.weights.size() ? dep.weights[i] : 1.0;
      double cheapest = 1e300;
      std::int64_t capacity = 0;
      for (const NodePoolConfig& pool : config.pools) {
        if (pool.place != place || pool.cpu_milli <= 0) continue;
        cheapest =
            std::min(cheapest, pool.price_usd_per_hour / static_cast<double>(pool.cpu_milli));
        const double per_node = std::min(static_cast<double>(pool.cpu_milli) / pod_cpu,
                                         static_cast<double>(pool.memory_bytes) / pod_mem);
        // A pool a node autoscaler resizes can hold what its largest size holds.
        const bool autoscaled = pool.scaling.autoscaler != NodeAutoscaler::none;
        const std::uint32_t nodes = autoscaled ? pool.scaling.max : pool.count;
        capacity += static_cast<std::int64_t>(per_node) * nodes;
        if (!autoscaled && per_node >= 1) o.fixed_nodes += pool.count;
        // Where nodes follow the pods, cost-optimized prices whole nodes: the autoscaled
        // pool with the cheapest pod-hour.
        const auto pods_per_node = static_cast<std::int64_t>(per_node);
        if (autoscaled && pods_per_node > 0) {
          const double per_pod = pool.price_usd_per_hour / static_cast<double>(pods_per_node);
          if (!o.nodes_follow_pods ||
              per_pod < o.node_price_usd_per_hour / static_cast<double>(o.pods_per_node)) {
            o.node_price_usd_per_hour = pool.price_usd_per_hour;
            o.pods_per_node = pods_per_node;
          }
          o.nodes_follow_pods = true;
          o.min_nodes += pool.scaling.min;
        }
      }
      o.price_usd_per_pod_hour = cheapest < 1e300 ? cheapest * pod_cpu : 1e300;
      o.capacity_pods = capacity;
      double rate = 0;
      double weighted = 0;
      for (const FleetWorkload& w : config.workloads) {
        if (w.deployment != d) continue;
        const SimTime l = core.latency(w.origin, place);
        const double r = w.arrival.rate_per_s > 0 ? w.arrival.rate_per_s : 1.0;
        rate += r;
        weighted += r * (l == kTimeMax ? 1e12 : static_cast<double>(l));
      }
      o.latency_to_demand = rate > 0 ? static_cast<SimTime>(weighted / rate) : 0;
      options_[d].push_back(o);
    }
  }
  // The demand's origins, for the optimised placements.
  demand_.resize(config.deployments.size());
  for (std::size_t d = 0; d < config.deployments.size(); ++d) {
    const FleetDeployment& dep = config.deployments[d];
    std::vector<std::uint32_t> origins;
    std::vector<double> rate;
    std::vector<double> request_bytes;  // rate-weighted sums
    std::vector<double> response_bytes;
    for (const FleetWorkload& w : config.workloads) {
      if (w.deployment != d) continue;
      auto it = std::find(origins.begin(), origins.end(), w.origin);
      if (it == origins.end()) {
        origins.push_back(w.origin);
        rate.push_back(0);
        request_bytes.push_back(0);
        response_bytes.push_back(0);
        it = origins.end() - 1;
      }
      const auto k = static_cast<std::size_t>(it - origins.begin());
      const double r = w.arrival.rate_per_s > 0 ? w.arrival.rate_per_s : 1.0;
      rate[k] += r;
      request_bytes[k] += r * static_cast<double>(w.request_bytes);
      response_bytes[k] += r * static_cast<double>(w.response_bytes);
    }
    DemandModel& m = demand_[d];
    m.demand.rate = rate;
    for (std::size_t i = 0; i < dep.places.size(); ++i) {
      const std::uint32_t place = dep.places[i];
      multicloud::RegionOption& o = options_[d][i];
      std::vector<double> egress;
      for (std::size_t k = 0; k < origins.size(); ++k) {
        const SimTime l = core.latency(origins[k], place);
        o.latency_from.push_back(l);
        double usd = 0;
        if (origins[k] != place && rate[k] > 0) {
          usd = (request_bytes[k] * config.places[origins[k]].egress_usd_per_gb +
                 response_bytes[k] * config.places[place].egress_usd_per_gb) /
                rate[k] / 1e9;
        }
        egress.push_back(usd);
      }
      m.egress_usd_per_request.push_back(egress);
    }
  }
}

// Make each place's live pods match its share of the desired count.
void ReplicaController::reconcile(std::uint32_t deployment) {
  const FleetDeployment& d = core_.config().deployments[deployment];
  const DeploymentRuntime& rt = core_.deployment(deployment);
  // A place whose nodes are all unreachable takes no replicas: the multi-cluster
  // controller moves its share to the places that are up (and back once it recovers).
  std::vector<multicloud::RegionOption> options = options_[deployment];
  if (d.places.size() > 1) {
    for (std::size_t i = 0; i < d.places.size(); ++i) {
      if (place_failed_over(d.places[i], core_.now())) {
        options[i].weight = 0;
        options[i].capacity_pods = 0;
        options[i].price_usd_per_pod_hour = 1e300;
        options[i].latency_to_demand = kTimeMax;
        std::fill(options[i].latency_from.begin(), options[i].latency_from.end(), kTimeMax);
      }
    }
  }
  // What a pod's worth of each origin's demand costs where: its compute, and the egress of
  // the requests it serves (the demand split evenly over the desired replicas).
  const DemandModel& m = demand_[deployment];
  double total_rate = 0;
  for (double r : m.demand.rate)
    total_rate += r;
  const double per_pod = rt.desired > 0 ? total_rate / rt.desired : 0.0;
  for (std::size_t i = 0; i < options.size(); ++i) {
    options[i].usd_per_pod_hour_from.clear();
    for (std::size_t k = 0; k < m.demand.rate.size(); ++k) {
      options[i].usd_per_pod_hour_from.push_back(options[i].price_usd_per_pod_hour +
                                                 per_pod * 3600.0 * m.egress_usd_per_request[i][k]);
    }
  }
  multicloud::Demand demand = m.demand;
  if (d.placement == multicloud::PlacementStrategy::latency_optimized) {
    // The load the replicas carry now: the workloads' expected rate at this time of day
    // (their arrival curves, the demand forecast) times the mean service time, over the
    // pods' concurrency.
    double rate_now = 0;
    for (const FleetWorkload& w : core_.config().workloads) {
      if (w.deployment == deployment)
        rate_now += arrival_rate_at(w.arrival, core_.now(), core_.config().duration);
    }
    if (d.concurrency != kUnlimitedConcurrency && d.concurrency > 0)
      demand.load_pods = rate_now * d.mean_service_s / d.concurrency;
  }
  const auto shares = multicloud::place_replicas(rt.desired, options, d.placement, demand);
  for (std::size_t i = 0; i < d.places.size(); ++i) {
    const std::uint32_t place = d.places[i];
    const auto& live = rt.pods[place];
    while (static_cast<std::int64_t>(live.size()) < shares[i])
      core_.create_pod(deployment, place);
    while (static_cast<std::int64_t>(live.size()) > shares[i]) {
      // Upstream's ranking for deletion: pending before starting before ready; among ready
      // pods the least loaded (kubetwin's stand-in for "newest").
      std::uint32_t victim = live.back();
      int victim_rank = 99;
      std::uint64_t victim_load = UINT64_MAX;
      for (std::uint32_t p : live) {
        const Pod& pod = core_.pod(p);
        const int rank = pod.state == PodState::pending    ? 0
                         : pod.state == PodState::starting ? 1
                                                           : 2;
        const std::uint64_t load = pod.busy + pod.queue.size;
        if (rank < victim_rank || (rank == victim_rank && load < victim_load)) {
          victim = p;
          victim_rank = rank;
          victim_load = load;
        }
      }
      core_.delete_pod(victim);
    }
  }
}

// Every node of the place has been unreachable for the pods' toleration: its pods are
// being evicted, and a multi-cluster controller places its share elsewhere (before that,
// as with Karmada's cluster failover toleration, the share stays put).
bool ReplicaController::place_failed_over(std::uint32_t place, SimTime now) const {
  const PlaceRuntime& p = core_.place(place);
  bool any = false;
  for (const NodeRuntime& n : p.nodes) {
    if (n.removed) continue;  // a node autoscaler removed it: not part of the place any more
    any = true;
    if (!n.unreachable ||
        now - n.unreachable_since < core_.config().timings.unreachable_toleration) {
      return false;
    }
  }
  return any;
}

}  // namespace kt::models
