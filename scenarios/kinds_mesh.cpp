// Service-mesh kinds that change how requests reach pods: Istio's DestinationRule (its
// traffic policy's load balancer). VirtualService is read with the hybrid kinds
// (kinds_quantum.cpp), where the seed uses it.

#include "scenarios/kind_registry.hpp"

namespace kt::scenario {

namespace {

void parse_destination_rule(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  DestinationRuleSpec spec;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "DestinationRule has no 'spec'");
    return;
  }
  if (s["host"]) {
    if (auto h = r.string(s["host"], "spec.host")) spec.host = *h;
  } else {
    r.error(s, "DestinationRule spec has no 'host'", "name the Service, e.g. host: reviews");
  }
  if (const YAML::Node tp = s["trafficPolicy"]; tp && r.expect_map(tp, "spec.trafficPolicy")) {
    if (const YAML::Node lb = tp["loadBalancer"];
        lb && r.expect_map(lb, "spec.trafficPolicy.loadBalancer")) {
      spec.lb_pos = r.pos(lb);
      if (lb["simple"]) {
        if (auto v = r.string(lb["simple"], "loadBalancer.simple")) {
          // istio/api networking/v1 destination_rule.proto, LoadBalancerSettings.SimpleLB;
          // LEAST_CONN is the deprecated name of LEAST_REQUEST.
          if (*v != "UNSPECIFIED" && *v != "RANDOM" && *v != "PASSTHROUGH" && *v != "ROUND_ROBIN" &&
              *v != "LEAST_REQUEST" && *v != "LEAST_CONN") {
            r.error(lb["simple"], "unknown loadBalancer.simple '" + *v + "'",
                    "use ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH or UNSPECIFIED");
          } else {
            spec.simple = *v;
          }
        }
      }
      spec.consistent_hash = static_cast<bool>(lb["consistentHash"]);
    }
  }
  if (const YAML::Node subsets = s["subsets"];
      subsets && r.expect_sequence(subsets, "spec.subsets")) {
    for (const YAML::Node& sub : subsets) {
      if (!r.expect_map(sub, "spec.subsets[]")) continue;
      auto name = sub["name"] ? r.string(sub["name"], "spec.subsets[].name") : std::nullopt;
      if (!name) {
        if (!sub["name"]) r.error(sub, "spec.subsets[] has no 'name'");
        continue;
      }
      k8s::Labels labels;
      if (sub["labels"]) {
        if (auto l = r.string_map(sub["labels"], "spec.subsets[].labels")) labels = *l;
      }
      spec.subsets.emplace_back(*name, std::move(labels));
    }
  }
  obj.spec = std::move(spec);
}

}  // namespace

void register_mesh_kinds(KindRegistry& registry) {
  registry.add({"networking.istio.io",
                {"v1alpha3", "v1beta1", "v1"},
                "DestinationRule",
                "cluster",
                "",
                parse_destination_rule,
                true,
                ""});
  // Istio objects with no effect on what is simulated, known so that they are not "unknown".
  const auto no_effect = [&](const char* group, const char* kind, const char* why) {
    registry.add({group, {"v1alpha3", "v1beta1", "v1"}, kind, "", why, nullptr, false, ""});
  };
  no_effect("networking.istio.io", "Gateway",
            "the mesh's edge listener; requests enter at their workload's origin and the "
            "gateway adds no delay");
  no_effect("networking.istio.io", "ServiceEntry",
            "a service outside the mesh; kubetwin simulates the fleet's own Services");
  no_effect("networking.istio.io", "Sidecar",
            "a sidecar's configuration scope; it changes no simulated path");
  no_effect("security.istio.io", "PeerAuthentication",
            "mutual TLS settings; encryption costs no simulated time");
  no_effect("security.istio.io", "RequestAuthentication",
            "JWT validation; kubetwin assumes every simulated request is allowed");
}

}  // namespace kt::scenario
