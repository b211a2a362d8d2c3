// HorizontalPodAutoscaler (autoscaling/v1 and v2): its metrics, resolved to the quantities
// the twin measures, and its behavior with upstream's defaults (pkg/apis/autoscaling/v2/
// defaults.go: GenerateHPAScaleUpRules, GenerateHPAScaleDownRules). Fields are checked
// against the autoscaling/v2 OpenAPI schema of Kubernetes v1.33 (docs/scenario.md).

#include <algorithm>
#include <cctype>

#include "scenarios/kind_registry.hpp"

namespace kt::scenario {

namespace {

using autoscaling::HpaMetric;
using Quantity = autoscaling::HpaMetric::Quantity;

constexpr std::int64_t kMaxReplicas = 100000;
constexpr const char* kSourcesAnnotation = "kubetwin.io/metric-sources";

std::optional<Quantity> quantity_named(const std::string& name) {
  if (name == "requests-per-second") return Quantity::requests_per_second;
  if (name == "in-flight") return Quantity::in_flight;
  if (name == "queue-length") return Quantity::queue_length;
  if (name == "cpu") return Quantity::cpu;
  if (name == "memory") return Quantity::memory;
  return std::nullopt;
}

// The simulated quantity behind a Pods/Object/External metric: the HPA's
// kubetwin.io/metric-sources annotation ("name=quantity, ..."), else the name convention
// of docs/scenario.md ("HPA metrics").
std::optional<Quantity> metric_source(const std::string& metric, const k8s::Labels& annotations) {
  if (const auto it = annotations.find(kSourcesAnnotation); it != annotations.end()) {
    std::string list = it->second;
    std::size_t start = 0;
    while (start < list.size()) {
      std::size_t end = list.find(',', start);
      if (end == std::string::npos) end = list.size();
      std::string entry = list.substr(start, end - start);
      entry.erase(std::remove_if(entry.begin(), entry.end(),
                                 [](unsigned char c) { return std::isspace(c) != 0; }),
                  entry.end());
      const std::size_t eq = entry.find('=');
      if (eq != std::string::npos && entry.substr(0, eq) == metric) {
        return quantity_named(entry.substr(eq + 1));
      }
      start = end + 1;
    }
  }
  std::string n;
  for (char c : metric)
    n += (c == '-' || c == '.') ? '_'
                                : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto has = [&](const char* part) { return n.find(part) != std::string::npos; };
  if (has("requests_per_second") || has("requests_per_sec") || n == "rps" || n == "qps" ||
      has("_rps") || has("_qps") || n == "http_requests" || has("request_rate")) {
    return Quantity::requests_per_second;
  }
  if (has("in_flight") || has("inflight") || has("concurren") || has("active_requests")) {
    return Quantity::in_flight;
  }
  if (has("queue")) return Quantity::queue_length;
  return std::nullopt;
}

// A metric's target: its type and value in milli-units (percent for Utilization).
bool read_target(const YAML::Node& t, HpaMetric& m, YamlReader& r, const std::string& where,
                 bool allow_utilization, bool allow_value) {
  if (!t) {
    r.error(t, where + " has no 'target'");
    return false;
  }
  if (!r.expect_map(t, where + ".target")) return false;
  r.check_keys(t, {"type", "averageUtilization", "averageValue", "value"}, where + ".target",
               Severity::warning);
  const std::optional<std::string> type =
      t["type"] ? r.string(t["type"], where + ".target.type") : std::nullopt;
  if (!type) {
    if (!t["type"]) r.error(t, where + ".target has no 'type'");
    return false;
  }
  const auto read_quantity = [&](const char* field) -> bool {
    if (!t[field]) {
      r.error(t, where + ".target of type " + *type + " has no '" + field + "'");
      return false;
    }
    const auto q = r.quantity(t[field], where + ".target." + field);
    if (!q) return false;
    if (*q <= 0) {
      r.error(t[field], where + ".target." + field + " must be positive");
      return false;
    }
    m.target_milli = *q;
    return true;
  };
  if (*type == "Utilization" && allow_utilization) {
    m.target = HpaMetric::Target::utilization;
    if (!t["averageUtilization"]) {
      r.error(t, where + ".target of type Utilization has no 'averageUtilization'");
      return false;
    }
    const auto n =
        r.integer(t["averageUtilization"], where + ".target.averageUtilization", 1, 100000);
    if (!n) return false;
    m.target_milli = *n;
    return true;
  }
  if (*type == "AverageValue") {
    m.target = HpaMetric::Target::average_value;
    return read_quantity("averageValue");
  }
  if (*type == "Value" && allow_value) {
    m.target = HpaMetric::Target::value;
    return read_quantity("value");
  }
  std::string allowed = allow_utilization ? "Utilization or AverageValue" : "AverageValue";
  if (allow_value) allowed = "Value or AverageValue";
  r.error(t["type"], where + ".target.type '" + *type + "' is not valid here (" + allowed + ")");
  return false;
}

// One spec.metrics[] entry. Returns the reason it has no simulated source ("" if it has).
std::string read_metric(const YAML::Node& node, const k8s::Labels& annotations,
                        HorizontalPodAutoscalerSpec& spec, YamlReader& r) {
  const std::string where = "spec.metrics[]";
  if (!r.expect_map(node, where)) return {};
  r.check_keys(node, {"type", "resource", "containerResource", "pods", "object", "external"}, where,
               Severity::warning);
  const std::optional<std::string> type =
      node["type"] ? r.string(node["type"], where + ".type") : std::nullopt;
  if (!type) {
    if (!node["type"]) r.error(node, where + " has no 'type'");
    return {};
  }
  HpaMetric m;
  const auto field_of = [](const std::string& t) {
    std::string f = t;
    f[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(f[0])));
    return f;
  };
  const std::string field = field_of(*type);
  const YAML::Node body = node[field];
  if (*type != "Resource" && *type != "ContainerResource" && *type != "Pods" && *type != "Object" &&
      *type != "External") {
    r.error(node["type"], "unknown metric type '" + *type + "'",
            "Resource, ContainerResource, Pods, Object or External");
    return {};
  }
  if (!body || !r.expect_map(body, where + "." + field)) {
    if (!body) r.error(node, "a metric of type " + *type + " needs '" + field + "'");
    return {};
  }
  const std::string at = where + "." + field;
  std::string name;
  if (*type == "Resource" || *type == "ContainerResource") {
    if (*type == "Resource") {
      r.check_keys(body, {"name", "target"}, at, Severity::warning);
    } else {
      r.check_keys(body, {"name", "container", "target"}, at, Severity::warning);
    }
    m.source = HpaMetric::Source::resource;
    if (auto n = body["name"] ? r.string(body["name"], at + ".name") : std::nullopt) name = *n;
    if (!read_target(body["target"], m, r, at, true, false)) return {};
  } else {
    m.source = *type == "Pods"     ? HpaMetric::Source::pods
               : *type == "Object" ? HpaMetric::Source::object
                                   : HpaMetric::Source::external;
    if (*type == "Object") {
      r.check_keys(body, {"describedObject", "metric", "target"}, at, Severity::warning);
    } else {
      r.check_keys(body, {"metric", "target"}, at, Severity::warning);
    }
    const YAML::Node metric = body["metric"];
    if (metric && r.expect_map(metric, at + ".metric")) {
      r.check_keys(metric, {"name", "selector"}, at + ".metric", Severity::warning);
      if (auto n = metric["name"] ? r.string(metric["name"], at + ".metric.name") : std::nullopt)
        name = *n;
    }
    if (!read_target(body["target"], m, r, at, false, *type != "Pods")) return {};
  }
  if (name.empty()) {
    r.error(body, at + " names no metric");
    return {};
  }
  m.name = name;
  std::optional<Quantity> q;
  if (m.source == HpaMetric::Source::resource) {
    if (name == "cpu") q = Quantity::cpu;
    if (name == "memory") q = Quantity::memory;
  } else {
    q = metric_source(name, annotations);
  }
  if (!q) {
    const std::string what = *type + " metric '" + name + "'";
    r.warning(body, what + " has no simulated source: the HPA is not simulated",
              m.source == HpaMetric::Source::resource
                  ? "the twin measures the cpu and memory resources"
                  : std::string("map it with the annotation ") + kSourcesAnnotation + ": \"" +
                        name + "=requests-per-second\" (or in-flight, queue-length)");
    return "metric " + name + " has no simulated source";
  }
  m.quantity = *q;
  spec.config.metrics.push_back(m);
  return {};
}

// behavior.scaleUp / scaleDown over upstream's defaults: a field left out keeps its default;
// policies given replace the default policies.
void read_rules(const YAML::Node& node, autoscaling::ScalingRules& rules, double& tolerance,
                YamlReader& r, const std::string& where) {
  if (!r.expect_map(node, where)) return;
  r.check_keys(node, {"stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance"}, where,
               Severity::warning);
  if (node["stabilizationWindowSeconds"]) {
    if (auto n = r.integer(node["stabilizationWindowSeconds"],
                           where + ".stabilizationWindowSeconds", 0, 3600)) {
      rules.stabilization_window = *n * kSecond;
    }
  }
  if (node["selectPolicy"]) {
    if (auto p = r.string(node["selectPolicy"], where + ".selectPolicy")) {
      if (*p == "Max") {
        rules.select = autoscaling::ScalingRules::Select::max;
      } else if (*p == "Min") {
        rules.select = autoscaling::ScalingRules::Select::min;
      } else if (*p == "Disabled") {
        rules.select = autoscaling::ScalingRules::Select::disabled;
      } else {
        r.error(node["selectPolicy"], where + ".selectPolicy must be Max, Min or Disabled");
      }
    }
  }
  if (const YAML::Node policies = node["policies"];
      policies && r.expect_sequence(policies, where + ".policies")) {
    rules.policies.clear();
    for (const YAML::Node& p : policies) {
      if (!r.expect_map(p, where + ".policies[]")) continue;
      r.check_keys(p, {"type", "value", "periodSeconds"}, where + ".policies[]", Severity::warning);
      autoscaling::ScalingPolicy policy;
      bool ok = true;
      if (auto t = p["type"] ? r.string(p["type"], where + ".policies[].type") : std::nullopt) {
        if (*t == "Pods") {
          policy.type = autoscaling::ScalingPolicy::Type::Pods;
        } else if (*t == "Percent") {
          policy.type = autoscaling::ScalingPolicy::Type::Percent;
        } else {
          r.error(p["type"], where + ".policies[].type must be Pods or Percent");
          ok = false;
        }
      } else {
        if (!p["type"]) r.error(p, where + ".policies[] has no 'type'");
        ok = false;
      }
      const auto v = p["value"] ? r.integer(p["value"], where + ".policies[].value", 1, 1 << 30)
                                : std::nullopt;
      if (!p["value"]) r.error(p, where + ".policies[] has no 'value'");
      const auto period =
          p["periodSeconds"]
              ? r.integer(p["periodSeconds"], where + ".policies[].periodSeconds", 1, 1800)
              : std::nullopt;
      if (!p["periodSeconds"]) r.error(p, where + ".policies[] has no 'periodSeconds'");
      if (!ok || !v || !period) continue;
      policy.value = static_cast<std::int32_t>(*v);
      policy.period = *period * kSecond;
      rules.policies.push_back(policy);
    }
  }
  if (node["tolerance"]) {
    // HPAConfigurableTolerance (alpha in v1.33): a quantity such as "0.05".
    if (auto q = r.quantity(node["tolerance"], where + ".tolerance")) {
      tolerance = static_cast<double>(*q) / 1000.0;
      r.warning(node["tolerance"], where +
                                       ".tolerance needs the feature gate "
                                       "HPAConfigurableTolerance (alpha in Kubernetes v1.33)");
    }
  }
}

void parse_hpa(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  HorizontalPodAutoscalerSpec spec;
  spec.config.metrics.clear();
  const YAML::Node s = root["spec"];
  if (!s) {
    r.error(root, "HorizontalPodAutoscaler has no 'spec'");
    return;
  }
  if (!r.expect_map(s, "spec")) return;
  const bool v1 = obj.api_version == "autoscaling/v1";
  if (v1) {
    r.check_keys(s,
                 {"scaleTargetRef", "minReplicas", "maxReplicas", "targetCPUUtilizationPercentage"},
                 "HorizontalPodAutoscaler (autoscaling/v1) spec", Severity::warning);
  } else {
    r.check_keys(s, {"scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior"},
                 "HorizontalPodAutoscaler (autoscaling/v2) spec", Severity::warning);
  }
  if (s["scaleTargetRef"]) {
    spec.target = read_object_ref(s["scaleTargetRef"], r, "spec.scaleTargetRef", "Deployment");
  } else {
    r.error(s, "HorizontalPodAutoscaler spec has no 'scaleTargetRef'");
  }
  // minReplicas 0 needs the HPAScaleToZero gate (and an Object or External metric).
  if (s["minReplicas"]) {
    if (auto n = r.integer(s["minReplicas"], "spec.minReplicas", 0, kMaxReplicas)) {
      spec.config.min_replicas = static_cast<std::int32_t>(*n);
      if (*n == 0) {
        r.warning(s["minReplicas"], "minReplicas 0 needs the feature gate HPAScaleToZero (alpha)");
      }
    }
  }
  if (s["maxReplicas"]) {
    if (auto n = r.integer(s["maxReplicas"], "spec.maxReplicas", 1, kMaxReplicas)) {
      spec.config.max_replicas = static_cast<std::int32_t>(*n);
    }
  } else {
    r.error(s, "HorizontalPodAutoscaler spec has no 'maxReplicas'");
  }
  if (spec.config.min_replicas > spec.config.max_replicas) {
    r.error(s["maxReplicas"], "spec.maxReplicas is below spec.minReplicas");
  }
  std::vector<std::string> unsimulated;
  if (v1) {
    HpaMetric cpu;  // autoscaling/v1: CPU utilisation only, 80 % unless stated
    if (s["targetCPUUtilizationPercentage"]) {
      if (auto n = r.integer(s["targetCPUUtilizationPercentage"],
                             "spec.targetCPUUtilizationPercentage", 1, 100000)) {
        cpu.target_milli = *n;
      }
    }
    cpu.name = "cpu";
    spec.config.metrics.push_back(cpu);
  } else if (const YAML::Node metrics = s["metrics"];
             metrics && r.expect_sequence(metrics, "spec.metrics")) {
    for (const YAML::Node& m : metrics) {
      const std::string why = read_metric(m, obj.annotations, spec, r);
      if (!why.empty()) unsimulated.push_back(why);
    }
  }
  if (spec.config.metrics.empty() && unsimulated.empty()) {
    HpaMetric cpu;  // autoscaling/v2's default metric: CPU at 80 %
    cpu.name = "cpu";
    spec.config.metrics.push_back(cpu);
  }
  if (const YAML::Node b = s["behavior"]; b && !v1 && r.expect_map(b, "spec.behavior")) {
    r.check_keys(b, {"scaleUp", "scaleDown"}, "spec.behavior", Severity::warning);
    autoscaling::Behavior behavior;
    if (b["scaleUp"]) {
      read_rules(b["scaleUp"], behavior.scale_up, spec.config.tolerance.scale_up, r,
                 "spec.behavior.scaleUp");
    }
    if (b["scaleDown"]) {
      read_rules(b["scaleDown"], behavior.scale_down, spec.config.tolerance.scale_down, r,
                 "spec.behavior.scaleDown");
    }
    spec.config.behavior = behavior;
  }
  for (const std::string& why : unsimulated) {
    if (!spec.not_simulated.empty()) spec.not_simulated += "; ";
    spec.not_simulated += why;
  }
  obj.spec = std::move(spec);
}

}  // namespace

void register_autoscaling_kinds(KindRegistry& registry) {
  registry.add(
      {"autoscaling", {"v1", "v2"}, "HorizontalPodAutoscaler", "cluster", "", parse_hpa, true, ""});
}

}  // namespace kt::scenario
