// How a workload's requests reach the pods of its target (SPEC "loadBalancing", docs/models/
// cluster.md "How requests reach pods"): the policy's knob when it names a balancer; else the
// kubetwin.io/load-balancing annotation of the target or its Deployment; else what the mesh
// declares for the Service's host (a DestinationRule's trafficPolicy.loadBalancer; Envoy's
// LEAST_REQUEST, Istio's default since 1.14, when only a VirtualService routes it); else
// kube-proxy's per-connection random choice (its iptables and nftables modes).

#include "scenarios/fleet_plan.hpp"

namespace kt::scenario {

namespace {

std::optional<models::LoadBalancing> balancer_named(const std::string& name) {
  if (name == "random") return models::LoadBalancing::random;
  if (name == "round-robin") return models::LoadBalancing::round_robin;
  if (name == "least-request") return models::LoadBalancing::least_request;
  return std::nullopt;
}

// Whether an Istio host names the Service `name` in namespace `ns`. Short names are relative
// to the namespace of the rule that holds them; "*" and "*.NS..." are wildcards.
bool host_names(std::string host, const std::string& rule_ns, const std::string& name,
                const std::string& ns) {
  if (host == "*") return true;
  for (const char* suffix : {".svc.cluster.local", ".svc"}) {
    const std::string s = suffix;
    if (host.size() > s.size() && host.compare(host.size() - s.size(), s.size(), s) == 0) {
      host.resize(host.size() - s.size());
      break;
    }
  }
  const std::size_t dot = host.find('.');
  const std::string host_name = dot == std::string::npos ? host : host.substr(0, dot);
  const std::string host_ns = dot == std::string::npos ? rule_ns : host.substr(dot + 1);
  return (host_name == "*" || host_name == name) && host_ns == ns;
}

}  // namespace

// The VirtualService whose hosts name the Service's host (the first, as Istio takes one).
const ManifestObject* routing_virtual_service(const Policy& policy, const ManifestObject& service) {
  for (const ManifestObject& o : policy.objects) {
    const auto* vs = std::get_if<VirtualServiceSpec>(&o.spec);
    if (!vs) continue;
    for (const std::string& host : vs->hosts) {
      if (host_names(host, o.name_space, service.name, service.name_space)) return &o;
    }
  }
  return nullptr;
}

std::uint32_t route_retries(const Policy& policy, const ManifestObject& service) {
  const ManifestObject* vs = routing_virtual_service(policy, service);
  if (vs) {
    const auto& spec = std::get<VirtualServiceSpec>(vs->spec);
    // Istio's default retry policy (2 attempts) where the route sets none.
    return spec.retries_set ? static_cast<std::uint32_t>(spec.retry_attempts) : 2;
  }
  for (const ManifestObject& o : policy.objects) {
    const auto* dr = std::get_if<DestinationRuleSpec>(&o.spec);
    if (dr && host_names(dr->host, o.name_space, service.name, service.name_space)) return 2;
  }
  return 0;  // not in the mesh: kube-proxy retries nothing
}

SimTime route_timeout(const Policy& policy, const ManifestObject& service) {
  const ManifestObject* vs = routing_virtual_service(policy, service);
  return vs ? std::get<VirtualServiceSpec>(vs->spec).route_timeout.value_or(0) : 0;
}

std::vector<WeightedTarget> weighted_split(const Policy& policy, const ManifestObject& service,
                                           std::vector<std::string>& notes) {
  const ManifestObject* vs_object = routing_virtual_service(policy, service);
  if (!vs_object) return {};
  const auto& vs = std::get<VirtualServiceSpec>(vs_object->spec);
  const bool plain =
      vs.route.size() == 1 && vs.route[0].subset.empty() &&
      host_names(vs.route[0].host, vs_object->name_space, service.name, service.name_space);
  if (vs.route.empty() || plain) return {};
  bool any_weight = false;
  for (const auto& to : vs.route)
    any_weight = any_weight || to.weight.has_value();
  std::vector<WeightedTarget> out;
  for (const auto& to : vs.route) {
    WeightedTarget t;
    // Istio: a lone destination takes everything; weights written are relative shares, an
    // unwritten one among written ones is 0; none written splits evenly.
    t.weight = any_weight ? static_cast<double>(to.weight.value_or(0)) : 1.0;
    const ManifestObject* svc = nullptr;
    for (const ManifestObject& o : policy.objects) {
      if (std::holds_alternative<ServiceSpec>(o.spec) &&
          host_names(to.host, vs_object->name_space, o.name, o.name_space)) {
        svc = &o;
        break;
      }
    }
    const std::string dest = to.host + (to.subset.empty() ? "" : " subset " + to.subset);
    if (!svc) {
      notes.push_back(vs_object->id() + ": destination " + dest +
                      " -> not simulated: no Service among the manifests; its share of the "
                      "requests fails");
      out.push_back(std::move(t));
      continue;
    }
    std::vector<const ManifestObject*> deployments = service_backends(*svc, policy.objects);
    if (!to.subset.empty()) {
      const k8s::Labels* labels = nullptr;
      for (const ManifestObject& o : policy.objects) {
        const auto* dr = std::get_if<DestinationRuleSpec>(&o.spec);
        if (!dr || !host_names(dr->host, o.name_space, svc->name, svc->name_space)) continue;
        for (const auto& [name, l] : dr->subsets) {
          if (name == to.subset) labels = &l;
        }
      }
      if (!labels) {
        notes.push_back(vs_object->id() + ": destination " + dest +
                        " -> not simulated: no DestinationRule defines the subset; its share "
                        "of the requests fails, as Envoy finds no cluster");
        deployments.clear();
      } else {
        k8s::LabelSelector selector;
        selector.match_labels = *labels;
        std::erase_if(deployments, [&](const ManifestObject* d) {
          return !selector.matches(std::get<DeploymentSpec>(d->spec).pod.labels);
        });
      }
    }
    t.deployments = std::move(deployments);
    out.push_back(std::move(t));
  }
  return out;
}

bool resolve_load_balancing(const Policy& policy, const ManifestObject& target,
                            const ManifestObject& deployment, models::LoadBalancing& out,
                            std::vector<std::string>& notes, Diagnostics& diags) {
  bool ok = true;
  std::optional<models::LoadBalancing> annotated;
  for (const ManifestObject* o : {&target, &deployment}) {
    const auto lb = o->annotations.find("kubetwin.io/load-balancing");
    if (lb == o->annotations.end()) continue;
    if (auto b = balancer_named(lb->second)) {
      annotated = b;
    } else {
      diags.error(o->pos, o->id() +
                              ": kubetwin.io/load-balancing must be random, round-robin or "
                              "least-request, got \"" +
                              lb->second + "\"");
      ok = false;
    }
  }
  if (auto knob = balancer_named(policy.load_balancing)) {
    out = *knob;
    return ok;
  }
  if (annotated) {
    out = *annotated;
    return ok;
  }
  out = models::LoadBalancing::random;  // kube-proxy
  if (!std::holds_alternative<ServiceSpec>(target.spec)) return ok;
  const DestinationRuleSpec* rule = nullptr;
  const ManifestObject* rule_object = nullptr;
  bool routed = false;
  for (const ManifestObject& o : policy.objects) {
    if (const auto* dr = std::get_if<DestinationRuleSpec>(&o.spec)) {
      // An exact host wins over a wildcard, as Istio picks the most specific rule.
      const bool exact = dr->host.find('*') == std::string::npos;
      if (host_names(dr->host, o.name_space, target.name, target.name_space) &&
          (!rule || (exact && rule->host.find('*') != std::string::npos))) {
        rule = dr;
        rule_object = &o;
      }
    } else if (const auto* vs = std::get_if<VirtualServiceSpec>(&o.spec)) {
      for (const std::string& host : vs->destinations)
        routed = routed || host_names(host, o.name_space, target.name, target.name_space);
    }
  }
  const std::string simple = rule ? rule->simple : std::string();
  if (simple == "ROUND_ROBIN") {
    out = models::LoadBalancing::round_robin;
  } else if (simple == "RANDOM") {
    out = models::LoadBalancing::random;
  } else if (simple == "LEAST_REQUEST" || simple == "LEAST_CONN") {
    out = models::LoadBalancing::least_request;
  } else if (simple == "PASSTHROUGH") {
    // Envoy forwards to the address the client asked for: the ClusterIP, so kube-proxy picks.
    out = models::LoadBalancing::random;
  } else if (rule && rule->consistent_hash) {
    // Envoy hashes a random value when a request yields no hash key.
    out = models::LoadBalancing::random;
    notes.push_back(rule_object->id() +
                    ": consistentHash -> not simulated: simulated requests carry no hash key, "
                    "so Envoy picks as at random");
  } else if (rule || routed) {
    out = models::LoadBalancing::least_request;  // in the mesh, no balancer named
  }
  return ok;
}

}  // namespace kt::scenario
