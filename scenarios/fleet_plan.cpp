// Scenario + policy -> the fleet model's configuration (models/cluster/fleet_config.hpp):
// places and node pools from spec.infrastructure (none: unlimited capacity), the Deployments
// that workloads reach (each kind's plan step, registered beside its parser, builds its own),
// the HPAs that target them, workloads, faults.

#include <algorithm>
#include <map>

#include "scenarios/fleet_plan.hpp"
#include "scenarios/kind_registry.hpp"
#include "scenarios/manifest_loader.hpp"
#include "scenarios/plan_step.hpp"

namespace kt::scenario {

namespace {

// A Node object's schedulable capacity (status.allocatable, else status.capacity); nodes
// without CPU and memory there cannot host pods and are left out.
bool node_has_capacity(const NodeSpec& n) {
  return n.capacity.contains(k8s::kCpu) && n.capacity.contains(k8s::kMemory);
}

bool has_node_objects(const std::vector<ManifestObject>& objects) {
  for (const ManifestObject& o : objects) {
    const auto* n = std::get_if<NodeSpec>(&o.spec);
    if (n && node_has_capacity(*n)) return true;
  }
  return false;
}

}  // namespace

// A selector-less Service has no managed endpoints.
std::vector<const ManifestObject*> service_backends(const ManifestObject& service,
                                                    const std::vector<ManifestObject>& objects) {
  std::vector<const ManifestObject*> out;
  const auto& spec = std::get<ServiceSpec>(service.spec);
  if (spec.selector.empty()) return out;
  k8s::LabelSelector selector;
  selector.match_labels = spec.selector;
  for (const ManifestObject& obj : objects) {
    const auto* dep = std::get_if<DeploymentSpec>(&obj.spec);
    if (dep && obj.name_space == service.name_space && selector.matches(dep->pod.labels)) {
      out.push_back(&obj);
    }
  }
  return out;
}

bool has_node_pools(const Scenario& sc) {
  for (const Region& r : sc.infrastructure.regions) {
    if (!r.node_pools.empty()) return true;
  }
  for (const EdgeSite& s : sc.infrastructure.edge_sites) {
    if (!s.node_pools.empty()) return true;
  }
  return false;
}

bool build_fleet_plan(const Scenario& sc, const Policy& policy, RunPlan& plan, Diagnostics& diags) {
  models::FleetConfig& f = plan.fleet_config;
  f.duration = sc.duration;
  f.warmup = sc.warmup;
  std::map<std::string, std::uint32_t> place_index;
  for (const Region& r : sc.infrastructure.regions) {
    place_index[r.name] = static_cast<std::uint32_t>(f.places.size());
    f.places.push_back({r.name, false, r.egress_usd_per_gb});
  }
  for (const EdgeSite& s : sc.infrastructure.edge_sites) {
    place_index[s.name] = static_cast<std::uint32_t>(f.places.size());
    f.places.push_back({s.name, true, 0});
  }
  // Nothing says where pods run: they are bound and ready at once, on unlimited capacity.
  if (!has_node_pools(sc) && !has_node_objects(policy.objects)) f.unlimited_capacity = true;
  // No region: one implicit place (reported under no regions.* key), for the pods and for
  // the nodes that Node objects bring.
  if (f.places.empty()) f.places.push_back({"default", false, 0, true});
  std::map<std::string, std::int32_t> pool_index;  // "place/pool"
  const auto add_pools = [&](const std::string& place, const std::vector<NodePool>& pools,
                             const std::string& provider, bool edge) {
    for (const NodePool& p : pools) {
      models::NodePoolConfig c;
      c.place = place_index[place];
      c.name = p.name;
      c.count = static_cast<std::uint32_t>(p.count);
      c.cpu_milli = p.cpu_milli;
      c.memory_bytes = p.memory_milli / 1000;
      c.price_usd_per_hour = p.price_usd_per_hour;
      c.labels = p.labels;
      c.labels.emplace("topology.kubernetes.io/region", place);
      c.taints = p.taints;
      c.scaling = plan_pool_scaling(p, provider, policy.node_autoscaling, edge);
      pool_index[place + "/" + p.name] = static_cast<std::int32_t>(f.pools.size());
      f.pools.push_back(std::move(c));
    }
  };
  for (const Region& r : sc.infrastructure.regions)
    add_pools(r.name, r.node_pools, r.provider, false);
  for (const EdgeSite& s : sc.infrastructure.edge_sites)
    add_pools(s.name, s.node_pools, "", true);
  f.cluster_autoscaler = sc.infrastructure.cluster_autoscaler;
  f.karpenter = sc.infrastructure.karpenter;
  // Node objects (KWOK and kubeadm users list their nodes): one node each, in the region or
  // edge site its topology.kubernetes.io/region label names, else the first region.
  for (const ManifestObject& o : policy.objects) {
    const auto* n = std::get_if<NodeSpec>(&o.spec);
    if (!n || !node_has_capacity(*n)) continue;
    models::NodePoolConfig c;
    c.place = 0;
    if (const auto it = n->labels.find("topology.kubernetes.io/region"); it != n->labels.end()) {
      if (const auto p = place_index.find(it->second); p != place_index.end()) {
        c.place = p->second;
      }
    }
    c.name = o.name;
    c.count = 1;
    c.cpu_milli = n->capacity.at(k8s::kCpu);
    c.memory_bytes = n->capacity.at(k8s::kMemory) / 1000;
    c.labels = n->labels;
    c.labels.emplace("kubernetes.io/hostname", o.name);  // as kubelet labels its node
    c.labels.emplace("topology.kubernetes.io/region", f.places[c.place].name);
    c.taints = n->taints;
    if (n->unschedulable) {
      // What the node lifecycle controller adds for spec.unschedulable (TaintNodesByCondition).
      c.taints.push_back({"node.kubernetes.io/unschedulable", "", k8s::TaintEffect::NoSchedule});
    }
    pool_index[f.places[c.place].name + "/" + o.name] = static_cast<std::int32_t>(f.pools.size());
    f.pools.push_back(std::move(c));
  }
  for (const auto& [ends, latency] : sc.infrastructure.latency) {
    if (ends.first < ends.second) {
      f.links.push_back({place_index[ends.first], place_index[ends.second], latency});
    }
  }
  plan_edge(sc, policy, place_index, f);
  if (policy.scheduling == "most-allocated") {
    f.scheduler.strategy = scheduling::ScoringStrategy::most_allocated;
  } else if (policy.scheduling == "balanced") {
    f.scheduler.strategy = scheduling::ScoringStrategy::balanced;
  }
  if (sc.infrastructure.scheduling) f.timings.scheduling = sc.infrastructure.scheduling->dist;
  if (sc.infrastructure.image_pull) f.timings.image_pull = sc.infrastructure.image_pull->dist;
  f.timings.pull_bytes_per_s = sc.infrastructure.pull_bytes_per_s;
  if (sc.infrastructure.container_start) {
    f.timings.container_start = sc.infrastructure.container_start->dist;
  }
  f.static_replicas = policy.autoscaling == "static";
  if (policy.autoscaling == "predictive") {
    f.predictive = true;
    // The season: an IntelligentDeployment's predictionWindow when the scenario has one,
    // else a day.
    for (const ManifestObject& o : policy.objects) {
      if (const auto* id = std::get_if<IntelligentDeploymentSpec>(&o.spec);
          id && id->prediction_window > 0) {
        f.forecast_season = id->prediction_window;
      }
    }
  }
  plan_quantum(sc, policy, f);
  const std::uint32_t home = 0;  // plain Deployments run in the first region
  std::map<std::string, std::uint32_t> deployment_index;
  std::map<std::uint32_t, double> service_weight;
  std::map<std::uint32_t, double> service_sum;
  bool ok = true;
  // The scenario's workloads, then the requests its event sources send.
  const std::vector<Workload> events = event_source_workloads(sc, policy, plan.not_simulated);
  std::vector<const Workload*> workloads;
  for (const Workload& wl : sc.workloads)
    workloads.push_back(&wl);
  for (const Workload& wl : events)
    workloads.push_back(&wl);
  for (const Workload* wlp : workloads) {
    const Workload& wl = *wlp;
    const ManifestObject* target = find_object(policy.objects, wl.target.kind, wl.target.name);
    if (!target) {
      diags.error(wl.target.pos, "workload " + wl.name + ": target " + wl.target.kind + "/" +
                                     wl.target.name + " not found");
      ok = false;
      continue;
    }
    const ManifestObject* deployment = target;
    std::vector<const ManifestObject*> selected;  // a Service's Deployments
    if (std::holds_alternative<ServiceSpec>(target->spec)) {
      selected = service_backends(*target, policy.objects);
      if (selected.empty()) {
        diags.error(wl.target.pos,
                    "workload " + wl.name + ": " + target->id() +
                        " selects no Deployment among the manifests",
                    "its spec.selector must match the pod template labels of a Deployment in "
                    "namespace " +
                        target->name_space);
        ok = false;
        continue;
      }
      deployment = selected.front();
    }
    const KindHandler* handler =
        KindRegistry::builtin().find(deployment->group(), deployment->kind);
    if (handler && handler->plan && handler->plan_check) {
      if (const std::string why = handler->plan_check(*deployment, policy.objects); !why.empty()) {
        plan.not_simulated.push_back("workload " + wl.name + " -> not simulated: " + why);
        plan.unsimulated_workloads.push_back(wl.name);
        continue;
      }
    }
    if (!handler || !handler->plan) {
      // A kind whose model runs but that takes no requests itself (a QuantumCluster is a QPU
      // that Jobs and Workflows reach) is said as such, not as a model to come.
      const bool runs = handler && handler->runnable;
      plan.not_simulated.push_back(
          "workload " + wl.name + " -> not simulated: its target " + target->id() +
          (target->model.empty() || runs
               ? " takes no requests" +
                     std::string(std::holds_alternative<QuantumClusterSpec>(target->spec)
                                     ? " (a QPU: Jobs and Workflows that ask for qubits reach it)"
                                     : "")
               : " needs the " + target->model + " model, not built yet"));
      plan.unsimulated_workloads.push_back(wl.name);
      continue;
    }
    models::LoadBalancing balancing = models::LoadBalancing::random;
    ok = resolve_load_balancing(policy, *target, *deployment, balancing, plan.not_simulated,
                                diags) &&
         ok;
    // The FleetDeployment of a Deployment-like object, added the first time it is served.
    // (MultiClusterDeployments are the remaining case.)
    // A trace population's member runs its own copy of the target (one function each).
    std::int32_t group = -1;
    if (!wl.group.empty()) {
      const auto g = std::find(f.groups.begin(), f.groups.end(), wl.group);
      group = static_cast<std::int32_t>(g - f.groups.begin());
      if (g == f.groups.end()) f.groups.push_back(wl.group);
    }
    const auto add_deployment = [&](const ManifestObject* deployment) -> std::uint32_t {
      const std::string key = deployment->id() + (wl.group.empty() ? "" : "@" + wl.name);
      auto [it, inserted] =
          deployment_index.emplace(key, static_cast<std::uint32_t>(f.deployments.size()));
      if (inserted) {
        models::FleetDeployment d;
        d.name = deployment->id();
        const KindHandler* h = KindRegistry::builtin().find(deployment->group(), deployment->kind);
        PlanContext ctx{policy, f, place_index, home, diags};
        h->plan(*deployment, ctx, d);
        ok = ctx.ok && ok;
        if (d.serverless) d.start_time = cold_start_of(sc.infrastructure, *deployment);
        if (d.kafka && wl.partitions > 0)
          d.kafka->partitions = static_cast<std::uint32_t>(wl.partitions);
        // An HPA that targets this Deployment scales it.
        for (const ManifestObject& o : policy.objects) {
          const auto* hpa = std::get_if<HorizontalPodAutoscalerSpec>(&o.spec);
          if (!hpa || hpa->target.name != deployment->name || hpa->target.kind != deployment->kind)
            continue;
          // One that cannot be simulated leaves the target its replicas (said by
          // not_simulated_parts).
          if (hpa_not_simulated(*hpa, *deployment).empty()) d.hpa = hpa->config;
        }
        d.group = group;
        f.deployments.push_back(std::move(d));
        for (models::FleetDeployment& c : ctx.companions)
          f.deployments.push_back(std::move(c));
      }
      return it->second;
    };
    if (selected.empty()) selected.push_back(deployment);
    std::vector<std::uint32_t> backends;
    for (const ManifestObject* obj : selected)
      backends.push_back(add_deployment(obj));
    const std::uint32_t primary = backends.front();
    models::FleetWorkload w;
    // A VirtualService that splits the Service's host sends each request to one of its
    // destinations by weight first (Envoy's weighted clusters).
    if (std::holds_alternative<ServiceSpec>(target->spec)) {
      for (const WeightedTarget& t : weighted_split(policy, *target, plan.not_simulated)) {
        models::FleetWorkload::WeightedBackends group;
        group.weight = t.weight;
        for (const ManifestObject* obj : t.deployments) {
          const std::uint32_t index = add_deployment(obj);
          group.deployments.push_back(index);
          if (std::find(backends.begin(), backends.end(), index) == backends.end()) {
            backends.push_back(index);
          }
        }
        w.split.push_back(std::move(group));
      }
      w.timeout = route_timeout(policy, *target);
      w.retry_attempts = route_retries(policy, *target);
    } else if (std::holds_alternative<KnativeServiceSpec>(target->spec)) {
      // A Knative Service's host in the mesh: a VirtualService for it sets its retries and
      // timeout as for a Service (its weighted routes are Knative's own traffic block).
      w.timeout = route_timeout(policy, *target);
      w.retry_attempts = route_retries(policy, *target);
    }
    // The function platform's own deadline, when it comes before the route's.
    if (const SimTime t = f.deployments[primary].request_timeout; t > 0) {
      w.timeout = w.timeout > 0 ? std::min(w.timeout, t) : t;
    }
    w.name = wl.name;
    w.group = group;
    w.deployment = primary;
    plan_quantum_workload(wl, w, f, diags);
    if (backends.size() > 1 || !w.split.empty()) w.backends = backends;
    w.load_balancing = balancing;
    {
      // The rate-weighted mean service time of the requests each Deployment serves.
      models::FleetDeployment& d = f.deployments[primary];
      const double rate = wl.arrival.mean_rate_per_s();
      service_weight[primary] += rate;
      service_sum[primary] += rate * wl.service.dist.mean();
      d.mean_service_s = service_weight[primary] > 0
                             ? service_sum[primary] / service_weight[primary]
                             : wl.service.dist.mean();
    }
    w.origin = wl.origin.empty() ? f.deployments[primary].places.front() : place_index[wl.origin];
    w.arrival = arrival_config(wl.arrival);
    w.service_time = wl.service.dist;
    w.request_bytes = wl.request_bytes;
    w.response_bytes = wl.response_bytes;
    f.workloads.push_back(std::move(w));
  }
  if (f.workloads.size() > 60000) {
    diags.error(sc.pos, "at most 60000 workloads are supported");
    ok = false;
  }
  for (const Fault& fault : sc.faults) {
    models::FleetFault ff;
    ff.at = fault.at;
    ff.duration = fault.duration;
    if (fault.kind == "regionOutage") {
      ff.kind = models::FleetFault::Kind::region_outage;
      ff.place = place_index[fault.target];
    } else if (fault.kind == "nodeFailure") {
      ff.kind = models::FleetFault::Kind::node_failure;
      const std::size_t slash = fault.target.find('/');
      ff.place = place_index[fault.target.substr(0, slash)];
      if (slash != std::string::npos) ff.pool = pool_index[fault.target];
    } else {
      continue;  // linkOutage: the edge model's (plan_edge)
    }
    f.faults.push_back(ff);
  }
  return ok;
}

}  // namespace kt::scenario
