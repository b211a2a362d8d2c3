// spec.policies (knobs and overrides) and spec.slo (metric keys and their scopes).

#include "scenarios/raw_yaml.hpp"
#include "scenarios/scenario_sections.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "scenarios/keep_alive_knob.hpp"
#include "scenarios/manifest_loader.hpp"
#include "scenarios/plan_step.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario::sections {

namespace {

bool one_of(const std::string& v, std::initializer_list<const char*> values) {
  for (const char* x : values) {
    if (v == x) return true;
  }
  return false;
}

std::string join_scope_hint(const Scenario& sc) {
  std::string out = "keys look like workloads.NAME.latency.p99_ms or latency.p99_ms";
  if (!sc.workloads.empty()) out += " (workloads: " + sc.workloads.front().name + ", ...)";
  return out;
}

}  // namespace

void read_policies(const YAML::Node& node, Scenario& sc, YamlReader& r) {
  if (!r.expect_sequence(node, "spec.policies")) return;
  std::set<std::string> names;
  std::size_t i = 0;
  for (const YAML::Node& p : node) {
    const std::string what = "spec.policies[" + std::to_string(i++) + "]";
    if (!r.expect_map(p, what)) continue;
    r.check_keys(p,
                 {"name", "placement", "scheduling", "autoscaling", "keepAlive", "edgeOutage",
                  "edgeBuffer", "quantumQueue", "loadBalancing", "nodeAutoscaling", "overrides"},
                 what, Severity::error);
    Policy policy;
    policy.pos = r.pos(p);
    if (auto n = p["name"] ? r.name(p["name"], what + ".name") : std::nullopt) {
      policy.name = *n;
      if (!names.insert(policy.name).second) {
        r.error(p["name"], "duplicate policy name '" + policy.name + "'");
        continue;
      }
    } else {
      if (!p["name"]) r.error(p, what + " has no 'name'");
      continue;
    }
    for (const char* key : {"placement", "scheduling", "autoscaling", "keepAlive", "edgeOutage",
                            "edgeBuffer", "quantumQueue", "loadBalancing", "nodeAutoscaling"}) {
      if (p[key]) policy.knobs_set.push_back(key);
    }
    const auto knob = [&](const char* key, std::string& out,
                          std::initializer_list<const char*> values) {
      if (!p[key]) return;
      auto v = r.string(p[key], what + "." + key);
      if (!v) return;
      if (!one_of(*v, values)) {
        std::string allowed;
        std::vector<std::string> list;
        for (const char* x : values) {
          allowed += (allowed.empty() ? "" : ", ") + std::string(x);
          list.push_back(x);
        }
        const std::string m = closest_match(*v, list);
        r.error(p[key], "unknown " + std::string(key) + " '" + *v + "'",
                m.empty() ? "use " + allowed : "did you mean '" + m + "'? (" + allowed + ")");
        return;
      }
      out = *v;
    };
    knob("placement", policy.placement,
         {"weighted", "cost-optimized", "latency-optimized", "spread"});
    knob("scheduling", policy.scheduling, {"least-allocated", "most-allocated", "balanced"});
    knob("autoscaling", policy.autoscaling, {"native", "static", "predictive"});
    knob("edgeOutage", policy.edge_outage, {"evict", "tolerate"});
    // kubetwin's extension: the requests each edge site buffers while cut off (tolerate).
    if (p["edgeBuffer"]) {
      if (auto n = r.integer(p["edgeBuffer"], what + ".edgeBuffer", 0, 100'000'000)) {
        policy.edge_buffer = *n;
      }
    }
    knob("loadBalancing", policy.load_balancing,
         {"native", "random", "round-robin", "least-request"});
    knob("nodeAutoscaling", policy.node_autoscaling,
         {"native", "none", "cluster-autoscaler", "karpenter"});
    knob("quantumQueue", policy.quantum_queue,
         {"fifo", "priority", "fair-share", "shortest-job-first"});
    if (p["keepAlive"]) {
      if (auto v = r.string(p["keepAlive"], what + ".keepAlive")) {
        if (*v == "none" || *v == "hybrid-histogram") {
          policy.keep_alive = *v;
        } else if (v->rfind("hybrid-histogram:", 0) == 0) {
          const std::string params = v->substr(17);
          const std::string problem = parse_hybrid_params(params, policy.hybrid);
          if (!problem.empty()) {
            r.error(p["keepAlive"], "keepAlive \"" + *v + "\": " + problem,
                    "e.g. hybrid-histogram:range=2h,head=5,tail=99,cv=2,margin=10");
          } else {
            policy.keep_alive = "hybrid-histogram";
            policy.keep_alive_params = params;
          }
        } else if (v->rfind("fixed:", 0) == 0) {
          const DurationParse d = parse_duration(v->substr(6));
          if (!d.ok() || d.value_ns <= 0) {
            r.error(p["keepAlive"],
                    "keepAlive \"" + *v +
                        "\": " + (d.ok() ? std::string("duration must be positive") : d.error),
                    "e.g. fixed:10m");
          } else {
            policy.keep_alive = "fixed";
            policy.keep_alive_duration = d.value_ns;
          }
        } else {
          r.error(p["keepAlive"], "unknown keepAlive '" + *v + "'",
                  "use fixed:DURATION, hybrid-histogram[:KEY=VALUE,...] or none");
        }
      }
    }
    if (const YAML::Node ov = p["overrides"]; ov && r.expect_map(ov, what + ".overrides")) {
      for (const auto& entry : ov) {
        const auto object = r.string(entry.first, what + ".overrides key");
        if (!object) continue;
        std::string kind;
        std::string name;
        if (!parse_object_ref_text(*object, kind, name)) {
          r.error(entry.first, "override key \"" + *object + "\" is not Kind/name");
          continue;
        }
        if (!find_object(sc.objects, kind, name)) {
          const std::string m = closest_match(*object, object_ids(sc.objects));
          r.error(entry.first, "override of " + *object + ": no such object in spec.manifests",
                  m.empty() ? std::string() : "did you mean '" + m + "'?");
          continue;
        }
        if (!r.expect_map(entry.second, "override of " + *object)) continue;
        for (const auto& field : entry.second) {
          const auto path = r.string(field.first, "override path");
          if (!path) continue;
          policy.overrides.push_back({*object, *path, wrap_yaml(field.second), r.pos(field.first)});
        }
      }
    }
    sc.policies.push_back(std::move(policy));
  }
}

void read_slos(const YAML::Node& node, Scenario& sc, YamlReader& r) {
  if (!r.expect_sequence(node, "spec.slo")) return;
  const std::vector<std::string>& keys = metric_keys();
  std::size_t i = 0;
  for (const YAML::Node& s : node) {
    const std::string what = "spec.slo[" + std::to_string(i++) + "]";
    if (!r.expect_map(s, what)) continue;
    r.check_keys(s, {"metric", "max", "min"}, what, Severity::error);
    Slo slo;
    slo.pos = r.pos(s);
    const auto metric = s["metric"] ? r.string(s["metric"], what + ".metric") : std::nullopt;
    if (!metric) {
      if (!s["metric"]) r.error(s, what + " has no 'metric'");
      continue;
    }
    slo.metric = *metric;
    // Split an optional scope (workloads.NAME., regions.NAME., sites.NAME., pools.PLACE/POOL.,
    // qpus.NAME., tenants.NAME.) from the key.
    std::string key = *metric;
    bool ok = true;
    for (const char* scope : {"workloads.", "regions.", "sites.", "pools.", "qpus.", "tenants."}) {
      if (key.rfind(scope, 0) != 0) continue;
      const std::string rest = key.substr(std::string(scope).size());
      std::vector<std::string> names;
      const std::string s_scope = scope;
      if (s_scope == "workloads.") {
        // A trace population's members are reported under their group's name only.
        for (const Workload& w : sc.workloads) {
          const std::string& n = w.group.empty() ? w.name : w.group;
          if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
        }
        // The event sources' workloads (SOURCE~SINK), as the manifests give them.
        Policy as_written;
        as_written.objects = sc.objects;
        std::vector<std::string> ignored;
        for (const Workload& w : event_source_workloads(sc, as_written, ignored))
          names.push_back(w.name);
      } else if (s_scope == "regions.") {
        for (const Region& reg : sc.infrastructure.regions)
          names.push_back(reg.name);
      } else if (s_scope == "sites.") {
        for (const EdgeSite& site : sc.infrastructure.edge_sites)
          names.push_back(site.name);
      } else if (s_scope == "pools.") {  // PLACE/POOL
        for (const Region& reg : sc.infrastructure.regions) {
          for (const NodePool& pool : reg.node_pools)
            names.push_back(reg.name + "/" + pool.name);
        }
        for (const EdgeSite& site : sc.infrastructure.edge_sites) {
          for (const NodePool& pool : site.node_pools)
            names.push_back(site.name + "/" + pool.name);
        }
      } else if (s_scope == "qpus.") {
        for (const ManifestObject& o : sc.objects) {
          if (o.kind == "QuantumCluster") names.push_back(o.name);
        }
      }
      // The name is the longest prefix of `rest` that is a known name followed by '.'.
      std::string name;
      for (const std::string& n : names) {
        if (rest.rfind(n + ".", 0) == 0 && n.size() > name.size()) name = n;
      }
      if (name.empty() && s_scope != "tenants.") {
        const std::string guess = rest.substr(0, rest.find('.'));
        const std::string m = closest_match(guess, names);
        r.error(s["metric"],
                "SLO metric " + *metric + ": no " + s_scope.substr(0, s_scope.size() - 2) +
                    " called '" + guess + "'",
                m.empty() ? (names.empty() ? std::string("none are defined")
                                           : "known: " + list_text(names))
                          : "did you mean '" + m + "'?");
        ok = false;
        break;
      }
      if (name.empty()) name = rest.substr(0, rest.find('.'));
      key = rest.size() > name.size() ? rest.substr(name.size() + 1) : std::string();
      break;
    }
    if (ok && std::find(keys.begin(), keys.end(), key) == keys.end()) {
      const std::string m = closest_match(key, keys);
      r.error(s["metric"], "unknown metric '" + key + "' in SLO " + *metric,
              m.empty() ? join_scope_hint(sc) : "did you mean '" + m + "'?");
      ok = false;
    }
    if (s["max"]) slo.max = r.number(s["max"], what + ".max", -1e18, 1e18);
    if (s["min"]) slo.min = r.number(s["min"], what + ".min", -1e18, 1e18);
    if (!s["max"] && !s["min"]) {
      r.error(s, what + " needs 'max' or 'min'");
      ok = false;
    }
    if (ok && (slo.max || slo.min)) sc.slos.push_back(std::move(slo));
  }
}

}  // namespace kt::scenario::sections
