// Core Kubernetes kinds: Deployment, Service, Pod, Job, Node, HorizontalPodAutoscaler,
// RuntimeClass, and the configuration kinds that change no simulated behaviour.

#include <cctype>

#include "scenarios/fleet_plan.hpp"
#include "scenarios/kind_registry.hpp"

namespace kt::scenario {

namespace {

constexpr std::int64_t kMaxReplicas = 100'000;

// The YAML node of an env var's value, for diagnostics.
YAML::Node env_node(const YAML::Node& pod_spec, const std::string& name) {
  if (!pod_spec || !pod_spec.IsMap() || !pod_spec["containers"] ||
      !pod_spec["containers"].IsSequence()) {
    return YAML::Node();
  }
  for (const YAML::Node& c : pod_spec["containers"]) {
    if (!c.IsMap() || !c["env"] || !c["env"].IsSequence()) continue;
    for (const YAML::Node& e : c["env"]) {
      if (e.IsMap() && e["name"] && e["name"].IsScalar() && e["name"].Scalar() == name &&
          e["value"]) {
        return e["value"];
      }
    }
  }
  return YAML::Node();
}

const std::string* find_env(const PodTemplate& pod, const std::string& name) {
  for (const Container& c : pod.containers) {
    if (const std::string* v = c.env_value(name)) return v;
  }
  return nullptr;
}

std::optional<std::int64_t> env_integer(const PodTemplate& pod, const YAML::Node& pod_spec,
                                        const std::string& name, std::int64_t min, std::int64_t max,
                                        YamlReader& r) {
  const std::string* v = find_env(pod, name);
  if (!v) return std::nullopt;
  bool digits = !v->empty() && v->size() <= 12;
  for (char c : *v)
    digits = digits && std::isdigit(static_cast<unsigned char>(c));
  const std::int64_t n = digits ? std::stoll(*v) : -1;
  if (!digits || n < min || n > max) {
    r.error(env_node(pod_spec, name), "env " + name + " must be a whole number from " +
                                          std::to_string(min) + " to " + std::to_string(max) +
                                          ", got \"" + v->substr(0, 40) + "\"");
    return std::nullopt;
  }
  return n;
}

void parse_deployment(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  DeploymentSpec spec;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "Deployment has no 'spec'");
    return;
  }
  if (s["replicas"]) {
    if (auto n = r.integer(s["replicas"], "spec.replicas", 0, kMaxReplicas)) spec.replicas = *n;
  }
  if (s["selector"]) {
    if (auto sel = r.label_selector(s["selector"], "spec.selector")) spec.selector = *sel;
  } else {
    r.error(s, "Deployment spec has no 'selector'", "apps/v1 requires spec.selector");
  }
  if (s["template"]) {
    read_pod_template(s["template"], spec.pod, r, "spec.template");
    if (s["selector"] && !spec.selector.empty() && !spec.selector.matches(spec.pod.labels)) {
      r.error(s["selector"], "spec.selector does not match spec.template.metadata.labels",
              "the API server rejects a Deployment whose selector misses its own pods");
    }
  } else {
    r.error(s, "Deployment spec has no 'template'");
  }
  const YAML::Node pod_spec =
      s["template"] && s["template"].IsMap() ? s["template"]["spec"] : YAML::Node();
  if (const std::string* targets = find_env(spec.pod, "TARGET_FUNCTIONS")) {
    Warmer warmer;
    std::size_t start = 0;
    while (start <= targets->size()) {
      std::size_t end = targets->find(',', start);
      if (end == std::string::npos) end = targets->size();
      std::string item = targets->substr(start, end - start);
      while (!item.empty() && item.front() == ' ')
        item.erase(item.begin());
      while (!item.empty() && item.back() == ' ')
        item.pop_back();
      if (!item.empty()) warmer.targets.push_back(item);
      start = end + 1;
    }
    warmer.interval = kMinute;
    if (const std::string* interval = find_env(spec.pod, "WARMUP_INTERVAL")) {
      // A bare number is seconds (the seed writes "60"); a duration with a unit also works.
      bool digits = !interval->empty() && interval->size() <= 9;
      for (char c : *interval)
        digits = digits && std::isdigit(static_cast<unsigned char>(c));
      const DurationParse d = parse_duration(digits ? *interval + "s" : *interval);
      if (d.ok() && d.value_ns > 0) {
        warmer.interval = d.value_ns;
      } else {
        r.error(env_node(pod_spec, "WARMUP_INTERVAL"),
                "env WARMUP_INTERVAL must be seconds (\"60\") or a duration (\"1m\"), got \"" +
                    interval->substr(0, 40) + "\"");
      }
    }
    if (warmer.targets.empty()) {
      r.error(env_node(pod_spec, "TARGET_FUNCTIONS"), "env TARGET_FUNCTIONS names no function");
    }
    spec.warmer = std::move(warmer);
  }
  obj.spec = std::move(spec);
}

void parse_service(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  ServiceSpec spec;
  const YAML::Node s = root["spec"];
  if (!s) {
    r.error(root, "Service has no 'spec'");
    return;
  }
  if (!r.expect_map(s, "spec")) return;
  if (s["selector"]) {
    if (auto m = r.string_map(s["selector"], "spec.selector")) spec.selector = *m;
  }
  if (s["type"]) {
    if (auto t = r.string(s["type"], "spec.type")) spec.type = *t;
  }
  if (const YAML::Node ports = s["ports"]) {
    if (r.expect_sequence(ports, "spec.ports")) {
      for (const YAML::Node& p : ports) {
        if (!r.expect_map(p, "spec.ports[]")) continue;
        if (p["port"]) {
          if (auto n = r.integer(p["port"], "spec.ports[].port", 1, 65535))
            spec.ports.push_back(*n);
        } else {
          r.error(p, "spec.ports[] has no 'port'");
        }
      }
    }
  }
  obj.spec = std::move(spec);
}

void parse_pod(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  PodSpec spec;
  if (const YAML::Node meta = root["metadata"]; meta && meta.IsMap() && meta["labels"]) {
    if (auto l = r.string_map(meta["labels"], "metadata.labels")) spec.pod.labels = *l;
  }
  if (root["spec"]) {
    read_pod_spec(root["spec"], spec.pod, r, "spec");
  } else {
    r.error(root, "Pod has no 'spec'");
  }
  obj.spec = std::move(spec);
}

// batch/v1 podFailurePolicy (k8s.io/api batch/v1 types.go, PodFailurePolicyRule): rules
// in order, the first that matches a failed pod decides. The twin's Job pods fail only by
// eviction from a failed or unreachable node, which upstream marks with the pod condition
// DisruptionTarget=True: the first rule with that condition among its onPodConditions gives
// the action. onExitCodes rules never match an eviction here (the twin does not model a
// container's exit code), so they are read and checked only.
void read_pod_failure_policy(const YAML::Node& policy, JobSpec& spec, YamlReader& r) {
  if (!r.expect_map(policy, "spec.podFailurePolicy")) return;
  const YAML::Node rules = policy["rules"];
  if (!rules || !r.expect_sequence(rules, "spec.podFailurePolicy.rules")) {
    if (!rules) r.error(policy, "spec.podFailurePolicy has no 'rules'");
    return;
  }
  bool decided = false;
  for (const YAML::Node& rule : rules) {
    if (!r.expect_map(rule, "spec.podFailurePolicy.rules[]")) continue;
    r.check_keys(rule, {"action", "onExitCodes", "onPodConditions"},
                 "spec.podFailurePolicy.rules[]", Severity::warning);
    std::string action;
    if (auto a = rule["action"] ? r.string(rule["action"], "rules[].action") : std::nullopt) {
      action = *a;
      if (action != "FailJob" && action != "FailIndex" && action != "Ignore" && action != "Count") {
        r.error(rule["action"],
                "podFailurePolicy action must be FailJob, FailIndex, Ignore or "
                "Count");
        continue;
      }
    } else {
      if (!rule["action"]) r.error(rule, "podFailurePolicy rule has no 'action'");
      continue;
    }
    if (static_cast<bool>(rule["onExitCodes"]) == static_cast<bool>(rule["onPodConditions"])) {
      r.error(rule, "a podFailurePolicy rule needs exactly one of onExitCodes and onPodConditions");
      continue;
    }
    const YAML::Node conditions = rule["onPodConditions"];
    if (!conditions || decided || !r.expect_sequence(conditions, "rules[].onPodConditions"))
      continue;
    for (const YAML::Node& c : conditions) {
      if (!c.IsMap() || !c["type"] || !c["type"].IsScalar()) continue;
      const std::string status =
          c["status"] && c["status"].IsScalar() ? c["status"].Scalar() : "True";
      if (c["type"].Scalar() == "DisruptionTarget" && status == "True") {
        // FailIndex needs backoffLimitPerIndex, not simulated: such an eviction counts.
        spec.on_disruption = action == "FailIndex" ? "Count" : action;
        decided = true;
        break;
      }
    }
  }
}

void parse_job(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  JobSpec spec;
  const YAML::Node s = root["spec"];
  if (!s) {
    r.error(root, "Job has no 'spec'");
    return;
  }
  if (!r.expect_map(s, "spec")) return;
  if (s["completions"]) {
    if (auto n = r.integer(s["completions"], "spec.completions", 0, 1'000'000))
      spec.completions = *n;
  }
  if (s["parallelism"]) {
    if (auto n = r.integer(s["parallelism"], "spec.parallelism", 0, 1'000'000))
      spec.parallelism = *n;
  }
  if (s["backoffLimit"]) {
    if (auto n = r.integer(s["backoffLimit"], "spec.backoffLimit", 0, 1'000'000)) {
      spec.backoff_limit = *n;
    }
  }
  if (s["activeDeadlineSeconds"]) {
    if (auto n = r.integer(s["activeDeadlineSeconds"], "spec.activeDeadlineSeconds", 1,
                           100LL * 365 * 86400)) {
      spec.active_deadline = *n * kSecond;
    }
  }
  if (s["completionMode"]) {
    if (auto m = r.string(s["completionMode"], "spec.completionMode")) {
      if (*m == "Indexed") {
        spec.indexed = true;
        if (!s["completions"]) {
          r.error(s["completionMode"], "completionMode Indexed needs spec.completions",
                  "the API server rejects an Indexed Job without completions");
        }
      } else if (*m != "NonIndexed") {
        r.error(s["completionMode"], "spec.completionMode must be NonIndexed or Indexed");
      }
    }
  }
  if (const YAML::Node policy = s["podFailurePolicy"]; policy)
    read_pod_failure_policy(policy, spec, r);
  if (s["template"]) {
    read_pod_template(s["template"], spec.pod, r, "spec.template");
    if (s["podFailurePolicy"] && spec.pod.restart_policy != "Never") {
      r.error(s["podFailurePolicy"],
              "podFailurePolicy needs the pod template's restartPolicy Never",
              "the API server rejects it with OnFailure");
    }
    const YAML::Node pod_spec = s["template"].IsMap() ? s["template"]["spec"] : YAML::Node();
    const auto qubits = env_integer(spec.pod, pod_spec, "QUBITS", 1, 1'000'000, r);
    const auto depth = env_integer(spec.pod, pod_spec, "CIRCUIT_DEPTH", 1, 100'000'000, r);
    const auto shots = env_integer(spec.pod, pod_spec, "SHOTS", 1, 1'000'000'000, r);
    if (qubits || depth || shots) {
      spec.quantum = QuantumTask{qubits.value_or(0), depth.value_or(0), shots.value_or(0)};
    }
    if (spec.pod.restart_policy == "Always") {
      const YAML::Node at = s["template"];
      r.error(at, "a Job's pod template needs restartPolicy Never or OnFailure",
              "the API server rejects restartPolicy Always (the default) for Jobs");
    }
  } else {
    r.error(s, "Job spec has no 'template'");
  }
  obj.spec = std::move(spec);
}

void parse_node(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  NodeSpec spec;
  if (const YAML::Node meta = root["metadata"]; meta && meta.IsMap() && meta["labels"]) {
    if (auto l = r.string_map(meta["labels"], "metadata.labels")) spec.labels = *l;
  }
  if (const YAML::Node s = root["spec"]; s && r.expect_map(s, "spec")) {
    if (const YAML::Node taints = s["taints"]; taints && r.expect_sequence(taints, "spec.taints")) {
      for (const YAML::Node& t : taints) {
        if (auto taint = r.taint(t, "spec.taints[]")) spec.taints.push_back(*taint);
      }
    }
    if (s["unschedulable"]) {
      if (auto b = r.boolean(s["unschedulable"], "spec.unschedulable")) spec.unschedulable = *b;
    }
  }
  // The scheduler fits pods into allocatable (capacity less system reservations); a Node
  // that states only its capacity is taken at that.
  if (const YAML::Node status = root["status"]; status && status.IsMap()) {
    for (const char* field : {"capacity", "allocatable"}) {
      if (!status[field]) continue;
      if (auto c = r.resources(status[field], std::string("status.") + field)) spec.capacity = *c;
    }
  }
  const bool qpu = spec.labels.count("quantum.qubits") > 0;
  if (qpu && (!spec.capacity.contains(k8s::kCpu) || !spec.capacity.contains(k8s::kMemory))) {
    // A quantum Node without room for pods: the quantum model's QPU (its label's qubits).
    obj.model = "quantum";
  } else if (!spec.capacity.contains(k8s::kCpu) || !spec.capacity.contains(k8s::kMemory)) {
    obj.model.clear();
    obj.not_simulated =
        "it declares no cpu and memory in status.allocatable or status.capacity, so it can "
        "host no pod";
    r.warning(root,
              "Node/" + obj.name +
                  " declares no cpu and memory in status.allocatable or "
                  "status.capacity: it is not simulated",
              "kubetwin makes each Node with both a node of its region (label "
              "topology.kubernetes.io/region, else the first region); nodes can also come "
              "from spec.infrastructure node pools");
  }
  obj.spec = std::move(spec);
}

void parse_runtime_class(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  RuntimeClassSpec spec;
  if (root["handler"]) {
    if (auto h = r.string(root["handler"], "handler")) spec.handler = *h;
  } else {
    r.error(root, "RuntimeClass has no 'handler'");
  }
  // The RuntimeClass admission controller sets each pod's overhead from overhead.podFixed;
  // the scheduler adds it to the pod's requests (node.k8s.io/v1; "Pod Overhead" docs).
  if (const YAML::Node o = root["overhead"]; o && r.expect_map(o, "overhead")) {
    r.check_keys(o, {"podFixed"}, "overhead", Severity::warning);
    if (o["podFixed"]) {
      if (auto q = r.resources(o["podFixed"], "overhead.podFixed")) spec.overhead = *q;
    }
  }
  if (const YAML::Node s = root["scheduling"]; s && r.expect_map(s, "scheduling")) {
    r.check_keys(s, {"nodeSelector", "tolerations"}, "scheduling", Severity::warning);
    if (s["nodeSelector"]) {
      if (auto m = r.string_map(s["nodeSelector"], "scheduling.nodeSelector")) {
        spec.node_selector = *m;
      }
    }
    if (const YAML::Node t = s["tolerations"];
        t && r.expect_sequence(t, "scheduling.tolerations")) {
      for (const YAML::Node& item : t) {
        if (auto tol = r.toleration(item, "scheduling.tolerations[]")) {
          spec.tolerations.push_back(*tol);
        }
      }
    }
  }
  obj.spec = std::move(spec);
}

bool is_base64(const std::string& s) {
  std::size_t n = 0;
  std::size_t padding = 0;
  for (char c : s) {
    if (c == '\n' || c == '\r' || c == ' ') continue;
    const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (c == '=') {
      ++padding;
    } else if ((alnum || c == '+' || c == '/') && padding == 0) {
      // fine
    } else {
      return false;
    }
    ++n;
  }
  return n % 4 == 0 && padding <= 2;
}

void parse_secret(const YAML::Node& root, ManifestObject&, YamlReader& r) {
  const YAML::Node data = root["data"];
  if (!data || !data.IsMap()) return;
  for (const auto& entry : data) {
    if (!entry.second.IsScalar()) continue;
    if (!is_base64(entry.second.Scalar())) {
      r.warning(entry.second,
                "Secret data '" + entry.first.Scalar() +
                    "' is not valid base64; the API server would reject this Secret",
                "put plain text under 'stringData', or base64-encode the value");
    }
  }
}

// A Deployment's pods run in the first region (a MultiClusterDeployment spreads them).
void plan_deployment(const ManifestObject& obj, PlanContext& ctx, models::FleetDeployment& d) {
  const auto& spec = std::get<DeploymentSpec>(obj.spec);
  apply_pod(spec.pod, ctx.policy.objects, d);
  d.replicas = static_cast<std::uint32_t>(spec.replicas);
  d.places = {ctx.home};
}

// Each arrival of the workload runs the Job once; the workload's `service` is one pod's run
// time.
void plan_job(const ManifestObject& obj, PlanContext& ctx, models::FleetDeployment& d) {
  const auto& spec = std::get<JobSpec>(obj.spec);
  apply_pod(spec.pod, ctx.policy.objects, d);
  d.places = {ctx.home};
  d.replicas = 0;
  models::FleetJob job;
  job.completions = static_cast<std::uint32_t>(std::max<std::int64_t>(spec.completions, 1));
  job.parallelism = static_cast<std::uint32_t>(std::max<std::int64_t>(spec.parallelism, 1));
  job.backoff_limit = static_cast<std::uint32_t>(spec.backoff_limit);
  job.on_disruption = spec.on_disruption == "Ignore"    ? models::FleetJob::OnDisruption::ignore
                      : spec.on_disruption == "FailJob" ? models::FleetJob::OnDisruption::fail_job
                                                        : models::FleetJob::OnDisruption::count;
  // A Job whose containers ask for qubits (quantum.qubits, or QUBITS in the environment, as the
  // seed's quantum-simulation) is a circuit for the QPUs: each arrival one job in their queues.
  if (const auto circuit = circuit_of(spec.pod.containers)) {
    d.quantum = *circuit;
    return;
  }
  d.job = job;
}

}  // namespace

void register_core_kinds(KindRegistry& registry) {
  KindHandler deployment{"apps", {"v1"}, "Deployment", "cluster", "", parse_deployment, true, ""};
  deployment.plan = plan_deployment;
  registry.add(deployment);
  registry.add({"", {"v1"}, "Service", "cluster", "", parse_service, true, ""});
  registry.add({"", {"v1"}, "Pod", "cluster", "", parse_pod, false, ""});
  KindHandler job{"batch", {"v1"}, "Job", "cluster", "", parse_job, true, ""};
  job.plan = plan_job;
  registry.add(job);
  registry.add({"", {"v1"}, "Node", "cluster", "", parse_node, true, ""});
  registry.add(
      {"node.k8s.io", {"v1"}, "RuntimeClass", "cluster", "", parse_runtime_class, true, ""});
  registry.add({"",
                {"v1"},
                "ConfigMap",
                "",
                "configuration data; it changes no simulated behaviour",
                nullptr,
                false,
                ""});
  registry.add({"",
                {"v1"},
                "Secret",
                "",
                "credentials; they change no simulated behaviour",
                parse_secret,
                false,
                ""});
  registry.add(
      {"", {"v1"}, "Namespace", "", "a namespace only groups objects", nullptr, false, ""});
  // Kinds with no effect on what is simulated, known so that they are not "unknown kind":
  // each says why it changes nothing (or what it would change that is not modelled).
  const auto no_effect = [&](const char* group, const char* kind, const char* why) {
    registry.add({group, {"v1"}, kind, "", why, nullptr, false, ""});
  };
  no_effect("", "ServiceAccount", "an identity for pods; it changes no simulated behaviour");
  for (const char* kind : {"Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"}) {
    no_effect("rbac.authorization.k8s.io", kind,
              "access control; kubetwin assumes every simulated action is allowed");
  }
  no_effect("", "PersistentVolumeClaim", "storage; simulated pods need none to start");
  no_effect("", "LimitRange",
            "admission defaults; pods are simulated with the requests they state");
  no_effect("", "ResourceQuota", "admission limits; quotas are not enforced in the simulation");
  no_effect("networking.k8s.io", "NetworkPolicy",
            "traffic rules; kubetwin assumes every simulated request is allowed");
  no_effect("networking.k8s.io", "Ingress",
            "an entry point; requests enter at their workload's origin, and the ingress adds no "
            "delay");
  no_effect("policy", "PodDisruptionBudget",
            "it limits voluntary disruptions, and none are simulated (node drains come later)");
}

}  // namespace kt::scenario
