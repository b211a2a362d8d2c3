// Pod templates and containers, shared by every kind that runs pods (Deployment, Job, Pod,
// Knative Service, MultiClusterDeployment, Argo Workflow templates).

#include "scenarios/kind_registry.hpp"

namespace kt::scenario {

namespace {

bool is_standard_resource(const std::string& name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" ||
         name.rfind("hugepages-", 0) == 0;
}

// Upstream validation: extended resources must be domain-qualified ("example.com/gpu") and
// cannot be overcommitted (limit required and equal to the request). kubetwin reads them
// anyway and says what the API server would do.
void check_extended_resources(const YAML::Node& resources, const Container& c, YamlReader& r,
                              const std::string& where) {
  for (const auto& [name, milli] : c.requests) {
    if (is_standard_resource(name)) continue;
    const YAML::Node at = resources["requests"][name];
    if (name.find('/') == std::string::npos) {
      r.warning(at,
                where + ".resources.requests: '" + name +
                    "' is not a valid extended resource name; the API server would reject it",
                "extended resources need a domain prefix, e.g. \"example.com/" + name +
                    "\"; kubetwin reads it as the extended resource '" + name + "'");
    }
    const auto limit = c.limits.find(name);
    if (limit == c.limits.end() || limit->second != milli) {
      r.warning(at,
                where + ".resources: extended resource '" + name +
                    "' has a request without an equal limit; the API server would reject it",
                "set limits." + name + " to the same value");
    }
  }
}

}  // namespace

bool read_container(const YAML::Node& node, Container& out, YamlReader& r,
                    const std::string& where) {
  if (!r.expect_map(node, where)) return false;
  if (node["name"]) {
    if (auto n = r.string(node["name"], where + ".name")) out.name = *n;
  }
  if (node["image"]) {
    if (auto image = r.string(node["image"], where + ".image")) out.image = *image;
  } else {
    r.error(node, where + " has no 'image'");
  }
  if (const YAML::Node env = node["env"]) {
    if (r.expect_sequence(env, where + ".env")) {
      for (const YAML::Node& e : env) {
        if (!r.expect_map(e, where + ".env[]")) continue;
        EnvVar var;
        if (auto n = e["name"] ? r.string(e["name"], where + ".env[].name") : std::nullopt) {
          var.name = *n;
        } else {
          if (!e["name"]) r.error(e, where + ".env[] has no 'name'");
          continue;
        }
        if (e["value"]) {
          if (auto v = r.string(e["value"], where + ".env." + var.name)) var.value = *v;
        }
        out.env.push_back(std::move(var));
      }
    }
  }
  if (node["command"]) {
    if (auto c = r.string_list(node["command"], where + ".command")) out.command = *c;
  }
  if (node["args"]) {
    if (auto a = r.string_list(node["args"], where + ".args")) out.args = *a;
  }
  if (const YAML::Node res = node["resources"]) {
    if (r.expect_map(res, where + ".resources")) {
      r.check_keys(res, {"requests", "limits", "claims"}, where + ".resources", Severity::warning);
      if (res["requests"]) {
        if (auto q = r.resources(res["requests"], where + ".resources.requests")) out.requests = *q;
      }
      if (res["limits"]) {
        if (auto q = r.resources(res["limits"], where + ".resources.limits")) out.limits = *q;
      }
      // Upstream defaults requests to limits when only limits are given.
      for (const auto& [name, milli] : out.limits)
        out.requests.emplace(name, milli);
      for (const auto& [name, milli] : out.requests) {
        const auto limit = out.limits.find(name);
        if (limit != out.limits.end() && limit->second < milli) {
          r.error(res["requests"][name],
                  where + ".resources: request for " + name + " exceeds its limit");
        }
      }
      check_extended_resources(res, out, r, where);
    }
  }
  return true;
}

void read_pod_spec(const YAML::Node& spec, PodTemplate& out, YamlReader& r,
                   const std::string& where) {
  if (!r.expect_map(spec, where)) return;
  if (const YAML::Node containers = spec["containers"]) {
    if (r.expect_sequence(containers, where + ".containers")) {
      std::size_t i = 0;
      for (const YAML::Node& c : containers) {
        Container container;
        if (read_container(c, container, r, where + ".containers[" + std::to_string(i) + "]")) {
          out.containers.push_back(std::move(container));
        }
        ++i;
      }
      if (i == 0) r.error(containers, where + ".containers is empty");
    }
  } else {
    r.error(spec, where + " has no 'containers'");
  }
  if (spec["nodeSelector"]) {
    if (auto m = r.string_map(spec["nodeSelector"], where + ".nodeSelector"))
      out.node_selector = *m;
  }
  if (const YAML::Node affinity = spec["affinity"]; affinity && affinity.IsMap()) {
    const YAML::Node node_affinity = affinity["nodeAffinity"];
    const YAML::Node required =
        node_affinity && node_affinity.IsMap()
            ? node_affinity["requiredDuringSchedulingIgnoredDuringExecution"]
            : YAML::Node();
    if (required && r.expect_map(required, where + ".affinity.nodeAffinity.required...")) {
      const YAML::Node terms = required["nodeSelectorTerms"];
      if (terms && r.expect_sequence(terms, where + ".affinity...nodeSelectorTerms")) {
        for (const YAML::Node& term : terms) {
          if (!r.expect_map(term, "nodeSelectorTerms[]")) continue;
          if (term["matchFields"]) {
            r.warning(term["matchFields"], "matchFields is not simulated (only matchExpressions)");
          }
          k8s::LabelSelector selector;
          if (term["matchExpressions"]) {
            YAML::Node wrapper(YAML::NodeType::Map);
            wrapper["matchExpressions"] = term["matchExpressions"];
            if (auto s = r.label_selector(wrapper, "nodeSelectorTerms[]")) selector = *s;
          }
          if (selector.empty()) {
            // Upstream: a term without requirements matches no node.
            selector.expressions.push_back({"", k8s::SelectorRequirement::Op::In, {}});
          }
          out.node_affinity.push_back(std::move(selector));
        }
      }
    }
    if (affinity["podAffinity"] || affinity["podAntiAffinity"] ||
        (node_affinity && node_affinity.IsMap() &&
         node_affinity["preferredDuringSchedulingIgnoredDuringExecution"])) {
      r.warning(affinity, "preferred node affinity and pod (anti-)affinity are not simulated");
    }
  }
  if (const YAML::Node tolerations = spec["tolerations"]) {
    if (r.expect_sequence(tolerations, where + ".tolerations")) {
      for (const YAML::Node& t : tolerations) {
        if (auto tol = r.toleration(t, where + ".tolerations[]")) out.tolerations.push_back(*tol);
      }
    }
  }
  if (spec["runtimeClassName"]) {
    if (auto n = r.string(spec["runtimeClassName"], where + ".runtimeClassName")) {
      out.runtime_class = *n;
    }
  }
  if (spec["schedulerName"]) {
    if (auto n = r.string(spec["schedulerName"], where + ".schedulerName")) out.scheduler_name = *n;
  }
  if (spec["restartPolicy"]) {
    auto p = r.string(spec["restartPolicy"], where + ".restartPolicy");
    if (p && (*p == "Always" || *p == "OnFailure" || *p == "Never")) {
      out.restart_policy = *p;
    } else if (p) {
      r.error(spec["restartPolicy"], "unknown restartPolicy '" + *p + "'",
              "use Always, OnFailure or Never");
    }
  }
  if (spec["terminationGracePeriodSeconds"]) {
    // Upstream allows 0 (kill at once) up to int64 seconds; a day is far beyond real use.
    if (auto n = r.integer(spec["terminationGracePeriodSeconds"],
                           where + ".terminationGracePeriodSeconds", 0, 86400)) {
      out.termination_grace = *n * kSecond;
    }
  }
  if (spec["containerConcurrency"]) {
    out.container_concurrency =
        r.integer(spec["containerConcurrency"], where + ".containerConcurrency", 0, 1000);
  }
}

void read_pod_template(const YAML::Node& tmpl, PodTemplate& out, YamlReader& r,
                       const std::string& where) {
  if (!r.expect_map(tmpl, where)) return;
  if (const YAML::Node meta = tmpl["metadata"]) {
    if (r.expect_map(meta, where + ".metadata")) {
      if (meta["labels"]) {
        if (auto l = r.string_map(meta["labels"], where + ".metadata.labels")) out.labels = *l;
      }
      if (meta["annotations"]) {
        if (auto a = r.string_map(meta["annotations"], where + ".metadata.annotations")) {
          out.annotations = *a;
        }
      }
    }
  }
  if (tmpl["spec"]) {
    read_pod_spec(tmpl["spec"], out, r, where + ".spec");
  } else {
    r.error(tmpl, where + " has no 'spec'");
  }
  // kubetwin's extension for templates without Knative's containerConcurrency: how many
  // requests one pod serves at once.
  if (const auto it = out.annotations.find("kubetwin.io/container-concurrency");
      it != out.annotations.end() && !out.container_concurrency) {
    bool digits = !it->second.empty() && it->second.size() < 6;
    for (char c : it->second)
      digits = digits && c >= '0' && c <= '9';
    if (digits && std::stoi(it->second) >= 1) {
      out.container_concurrency = std::stoi(it->second);
    } else {
      r.error(tmpl["metadata"]["annotations"]["kubetwin.io/container-concurrency"],
              "kubetwin.io/container-concurrency must be an integer from 1 to 99999");
    }
  }
  // kubetwin's failure model: the share of requests its pods answer with a 503.
  if (const auto it = out.annotations.find("kubetwin.io/error-rate"); it != out.annotations.end()) {
    const Parsed<double> p = parse_number(it->second);
    if (p.ok() && p.value >= 0 && p.value <= 1) {
      out.error_rate = p.value;
    } else {
      r.error(tmpl["metadata"]["annotations"]["kubetwin.io/error-rate"],
              "kubetwin.io/error-rate must be a number from 0 to 1");
    }
  }
  // kubetwin's memory usage model (what a memory HPA metric reads): the working set of an
  // idle pod and what each request in service adds (docs/scenario.md, "HPA metrics").
  // kubetwin's image size: with podStartup.imagePullBandwidth, what a pull takes.
  if (const auto it = out.annotations.find("kubetwin.io/image-size"); it != out.annotations.end()) {
    const Parsed<std::int64_t> q = parse_quantity(it->second);
    if (q.ok() && q.value > 0) {
      out.image_bytes = q.value / 1000;
    } else {
      r.error(tmpl["metadata"]["annotations"]["kubetwin.io/image-size"],
              "kubetwin.io/image-size must be a size (\"300Mi\")" +
                  (q.ok() ? std::string() : ": " + q.error));
    }
  }
  for (const auto& [key, field] :
       {std::pair{"kubetwin.io/memory-idle", &out.memory_idle_bytes},
        std::pair{"kubetwin.io/memory-per-request", &out.memory_per_request_bytes}}) {
    const auto it = out.annotations.find(key);
    if (it == out.annotations.end()) continue;
    const Parsed<std::int64_t> q = parse_quantity(it->second);
    if (q.ok()) {
      *field = q.value / 1000;  // milli-bytes to bytes
    } else {
      r.error(tmpl["metadata"]["annotations"][key],
              std::string(key) + " must be a memory quantity (\"64Mi\"): " + q.error);
    }
  }
}

ObjectRef read_object_ref(const YAML::Node& node, YamlReader& r, const std::string& where,
                          const std::string& default_kind) {
  ObjectRef ref;
  ref.pos = r.pos(node);
  ref.kind = default_kind;
  if (!r.expect_map(node, where)) return ref;
  if (node["apiVersion"]) {
    if (auto v = r.string(node["apiVersion"], where + ".apiVersion")) ref.api_version = *v;
  }
  if (node["kind"]) {
    if (auto k = r.string(node["kind"], where + ".kind")) ref.kind = *k;
  }
  if (node["name"]) {
    if (auto n = r.string(node["name"], where + ".name")) ref.name = *n;
  } else {
    r.error(node, where + " has no 'name'");
  }
  return ref;
}

}  // namespace kt::scenario
