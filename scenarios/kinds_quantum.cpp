// Quantum and hybrid kinds: QuantumCluster (a QPU behind a job queue), Argo Workflow (hybrid
// classical/quantum steps), and the Istio objects the seed uses around them.

#include <functional>
#include <map>

#include "scenarios/kind_registry.hpp"

namespace kt::scenario {

namespace {

void parse_quantum_cluster(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  QuantumClusterSpec spec;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "QuantumCluster has no 'spec'");
    return;
  }
  r.check_keys(s, {"provider", "qubits", "connectivity", "calibration", "scheduling"}, "spec",
               Severity::warning);
  if (s["provider"]) {
    if (auto v = r.string(s["provider"], "spec.provider")) spec.provider = *v;
  }
  if (s["qubits"]) {
    if (auto n = r.integer(s["qubits"], "spec.qubits", 1, 1'000'000)) spec.qubits = *n;
  } else {
    r.error(s, "QuantumCluster spec has no 'qubits'");
  }
  if (s["connectivity"]) {
    if (auto v = r.string(s["connectivity"], "spec.connectivity")) spec.connectivity = *v;
  }
  if (const YAML::Node c = s["calibration"]; c && r.expect_map(c, "spec.calibration")) {
    if (c["t1"]) {
      if (auto d = r.duration(c["t1"], "spec.calibration.t1", 1, kSecond)) spec.t1 = *d;
    }
    if (c["t2"]) {
      if (auto d = r.duration(c["t2"], "spec.calibration.t2", 1, kSecond)) spec.t2 = *d;
    }
    // Physics: dephasing time cannot exceed twice the relaxation time (T2 <= 2 T1).
    if (spec.t1 > 0 && spec.t2 > 2 * spec.t1) {
      r.error(c["t2"], "calibration t2 exceeds 2 x t1, which no qubit can have",
              "T2 <= 2 T1 always holds");
    }
  }
  if (const YAML::Node q = s["scheduling"]; q && r.expect_map(q, "spec.scheduling")) {
    if (q["queueDepth"]) {
      if (auto n = r.integer(q["queueDepth"], "spec.scheduling.queueDepth", 1, 10'000'000)) {
        spec.queue_depth = *n;
      }
    }
    if (q["priority"]) {
      auto p = r.string(q["priority"], "spec.scheduling.priority");
      if (p &&
          (*p == "fifo" || *p == "priority" || *p == "fair-share" || *p == "shortest-job-first")) {
        spec.priority = *p;
      } else if (p) {
        r.error(q["priority"], "unknown queue policy '" + *p + "'",
                "use fifo, priority, fair-share or shortest-job-first");
      }
    }
  }
  obj.spec = std::move(spec);
}

void parse_workflow(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  WorkflowSpec spec;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "Workflow has no 'spec'");
    return;
  }
  if (s["entrypoint"]) {
    if (auto e = r.string(s["entrypoint"], "spec.entrypoint")) spec.entrypoint = *e;
  } else {
    r.error(s, "Workflow spec has no 'entrypoint'");
  }
  const YAML::Node templates = s["templates"];
  if (!templates || !r.expect_sequence(templates, "spec.templates")) {
    if (!templates) r.error(s, "Workflow spec has no 'templates'");
    return;
  }
  std::map<std::string, std::size_t> index;
  for (const YAML::Node& t : templates) {
    if (!r.expect_map(t, "spec.templates[]")) continue;
    WorkflowTemplate tmpl;
    tmpl.pos = r.pos(t);
    if (auto n = t["name"] ? r.string(t["name"], "spec.templates[].name") : std::nullopt) {
      tmpl.name = *n;
    } else {
      if (!t["name"]) r.error(t, "spec.templates[] has no 'name'");
      continue;
    }
    if (index.count(tmpl.name)) {
      r.error(t["name"], "duplicate template name '" + tmpl.name + "'");
      continue;
    }
    const std::string where = "template " + tmpl.name;
    if (const YAML::Node steps = t["steps"]; steps && r.expect_sequence(steps, where + " steps")) {
      for (const YAML::Node& group : steps) {
        if (!r.expect_sequence(group, where + " steps[]")) continue;
        std::vector<WorkflowStep> parallel;
        for (const YAML::Node& step : group) {
          if (!r.expect_map(step, where + " step")) continue;
          WorkflowStep ws;
          ws.pos = r.pos(step);
          if (step["name"]) {
            if (auto n = r.string(step["name"], where + " step name")) ws.name = *n;
          }
          if (step["template"]) {
            if (auto n = r.string(step["template"], where + " step template"))
              ws.template_name = *n;
          } else {
            r.error(step, "step '" + ws.name + "' names no template");
            continue;
          }
          parallel.push_back(std::move(ws));
        }
        tmpl.steps.push_back(std::move(parallel));
      }
    }
    if (t["container"]) {
      Container c;
      if (read_container(t["container"], c, r, where + " container")) tmpl.container = c;
    }
    if (t["dag"]) r.warning(t["dag"], "dag templates are read but not simulated yet");
    if (!t["steps"] && !t["container"] && !t["dag"]) {
      r.error(t, "template '" + tmpl.name + "' has neither steps nor a container");
    }
    index[tmpl.name] = spec.templates.size();
    spec.templates.push_back(std::move(tmpl));
  }
  for (const WorkflowTemplate& t : spec.templates) {
    for (const auto& group : t.steps) {
      for (const WorkflowStep& step : group) {
        if (!index.count(step.template_name)) {
          r.diags().error(step.pos, "step '" + step.name + "' uses template '" +
                                        step.template_name + "', which is not defined");
        }
      }
    }
  }
  if (!spec.entrypoint.empty() && !index.count(spec.entrypoint)) {
    r.error(s["entrypoint"], "entrypoint '" + spec.entrypoint + "' names no template");
  }
  // A template that reaches itself through its steps never finishes: report the cycle.
  std::map<std::string, int> state;  // 0 unvisited, 1 on the current path, 2 done
  std::vector<std::string> path;
  std::function<bool(const WorkflowTemplate&)> visit = [&](const WorkflowTemplate& t) {
    state[t.name] = 1;
    path.push_back(t.name);
    for (const auto& group : t.steps) {
      for (const WorkflowStep& step : group) {
        const auto it = index.find(step.template_name);
        if (it == index.end()) continue;
        const WorkflowTemplate& next = spec.templates[it->second];
        if (state[next.name] == 1) {
          std::string cycle;
          for (const std::string& name : path)
            cycle += name + " -> ";
          r.diags().error(step.pos, "workflow steps form a cycle: " + cycle + next.name,
                          "a template may not call itself through its steps");
          return false;
        }
        if (state[next.name] == 0 && !visit(next)) return false;
      }
    }
    state[t.name] = 2;
    path.pop_back();
    return true;
  };
  for (const WorkflowTemplate& t : spec.templates) {
    path.clear();
    if (state[t.name] == 0 && !visit(t)) break;
  }
  obj.spec = std::move(spec);
}

void parse_virtual_service(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  VirtualServiceSpec spec;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "VirtualService has no 'spec'");
    return;
  }
  if (s["hosts"]) {
    if (auto h = r.string_list(s["hosts"], "spec.hosts")) spec.hosts = *h;
  }
  if (const YAML::Node http = s["http"]; http && r.expect_sequence(http, "spec.http")) {
    for (const YAML::Node& route : http) {
      if (!r.expect_map(route, "spec.http[]")) continue;
      if (const YAML::Node dests = route["route"]; dests && r.expect_sequence(dests, "route")) {
        for (const YAML::Node& d : dests) {
          if (d.IsMap() && d["destination"] && d["destination"].IsMap() &&
              d["destination"]["host"]) {
            if (auto h = r.string(d["destination"]["host"], "destination.host")) {
              spec.destinations.push_back(*h);
              spec.destination_pos.push_back(r.pos(d["destination"]["host"]));
            }
          }
          // The seed nests `retries` inside the route entry; Istio reads it on the http route.
          if (d.IsMap() && d["retries"]) {
            r.warning(d["retries"],
                      "'retries' belongs to the http route, not to a route "
                      "destination; Istio ignores it here");
          }
        }
      }
      if (const YAML::Node retries = route["retries"];
          retries && r.expect_map(retries, "retries")) {
        r.check_keys(retries, {"attempts", "perTryTimeout", "retryOn", "retryRemoteLocalities"},
                     "HTTPRetry", Severity::warning);
        if (retries["attempts"]) {
          if (auto n = r.integer(retries["attempts"], "retries.attempts", 0, 100)) {
            spec.retry_attempts = *n;
          }
        }
        if (retries["perTryTimeout"]) {
          spec.per_try_timeout = r.duration(retries["perTryTimeout"], "retries.perTryTimeout");
        }
      }
    }
  }
  obj.spec = std::move(spec);
}

}  // namespace

void register_quantum_kinds(KindRegistry& registry) {
  registry.add({"quantum.k8s.io",
                {"v1alpha1"},
                "QuantumCluster",
                "quantum",
                "",
                parse_quantum_cluster,
                false,
                "quantum.k8s.io is not a published API; QuantumCluster is read as the seed's "
                "proposal"});
  registry.add({"argoproj.io", {"v1alpha1"}, "Workflow", "quantum", "", parse_workflow, false, ""});
  registry.add({"networking.istio.io",
                {"v1beta1", "v1alpha3", "v1"},
                "VirtualService",
                "cluster",
                "",
                parse_virtual_service,
                true,
                ""});
  registry.add({"security.istio.io",
                {"v1beta1", "v1"},
                "AuthorizationPolicy",
                "",
                "an authorization rule; kubetwin assumes every simulated request is allowed",
                nullptr,
                false,
                ""});
}

}  // namespace kt::scenario
