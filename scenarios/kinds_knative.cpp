// The Knative Service (serving.knative.dev/v1): its revision template read with the
// autoscaling annotations Knative validates, and its plan step for the serverless model.

#include <algorithm>
#include <cmath>

#include "scenarios/serverless_kinds.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario {

namespace {

// The value of an annotation under either of its spellings (Knative accepts both minScale and
// min-scale), with the node it came from for diagnostics.
const std::string* annotation(const PodTemplate& pod, std::initializer_list<const char*> names,
                              std::string& found_name) {
  for (const char* name : names) {
    const auto it = pod.annotations.find(name);
    if (it != pod.annotations.end()) {
      found_name = name;
      return &it->second;
    }
  }
  return nullptr;
}

}  // namespace

void parse_knative_service(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  KnativeServiceSpec spec;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "Knative Service has no 'spec'");
    return;
  }
  const YAML::Node tmpl = s["template"];
  if (!tmpl) {
    r.error(s, "Knative Service spec has no 'template'");
    return;
  }
  read_pod_template(tmpl, spec.pod, r, "spec.template");
  const YAML::Node annotations = tmpl.IsMap() && tmpl["metadata"] && tmpl["metadata"].IsMap()
                                     ? tmpl["metadata"]["annotations"]
                                     : YAML::Node();
  const auto at = [&](const std::string& name) {
    return annotations && annotations.IsMap() ? annotations[name] : tmpl;
  };
  std::string name;
  const auto read_scale = [&](std::initializer_list<const char*> names, std::int64_t& out) {
    if (const std::string* v = annotation(spec.pod, names, name)) {
      const Parsed<double> n = parse_number(*v);
      if (!n.ok() || n.value < 0 ||
          n.value != static_cast<double>(static_cast<std::int64_t>(n.value)) || n.value > 100000) {
        r.error(at(name), name + " must be a whole number from 0 to 100000, got \"" + *v + "\"");
      } else {
        out = static_cast<std::int64_t>(n.value);
      }
    }
  };
  read_scale({"autoscaling.knative.dev/minScale", "autoscaling.knative.dev/min-scale"},
             spec.min_scale);
  read_scale({"autoscaling.knative.dev/maxScale", "autoscaling.knative.dev/max-scale"},
             spec.max_scale);
  if (spec.max_scale > 0 && spec.min_scale > spec.max_scale) {
    r.error(at("autoscaling.knative.dev/minScale"), "minScale (" + std::to_string(spec.min_scale) +
                                                        ") is above maxScale (" +
                                                        std::to_string(spec.max_scale) + ")");
  }
  if (const std::string* v = annotation(spec.pod, {"autoscaling.knative.dev/target"}, name)) {
    const Parsed<double> n = parse_number(*v);
    if (!n.ok() || n.value < 0.01) {
      r.error(at(name), name + " must be a number >= 0.01, got \"" + *v + "\"");
    } else {
      spec.target = n.value;
    }
  }
  if (const std::string* v =
          annotation(spec.pod, {"autoscaling.knative.dev/target-utilization-percentage"}, name)) {
    const Parsed<double> n = parse_number(*v);
    if (!n.ok() || n.value < 1 || n.value > 100) {
      r.error(at(name), name + " must be a number from 1 to 100, got \"" + *v + "\"");
    } else {
      spec.target_utilization = n.value / 100.0;
    }
  }
  if (const std::string* v = annotation(spec.pod, {"autoscaling.knative.dev/window"}, name)) {
    const DurationParse d = parse_duration(*v);
    if (!d.ok() || d.value_ns < 6 * kSecond || d.value_ns > kHour) {
      r.error(at(name), name + " must be a duration from 6s to 1h, got \"" + *v + "\"");
    } else {
      spec.window = d.value_ns;
    }
  }
  if (const std::string* v = annotation(spec.pod, {"autoscaling.knative.dev/class"}, name)) {
    spec.autoscaler_class = *v;
  }
  if (const std::string* v = annotation(spec.pod, {"autoscaling.knative.dev/metric"}, name)) {
    if (*v != "concurrency" && *v != "rps" && *v != "cpu" && *v != "memory") {
      r.error(at(name), "unknown autoscaling metric \"" + *v + "\"",
              "use concurrency, rps, cpu or memory");
    } else {
      spec.metric = *v;
    }
  }
  // The other autoscaling annotations, with the bounds Knative's validation enforces
  // (pkg/apis/autoscaling/annotation_validation.go).
  const auto read_number = [&](const char* key, double lo, double hi, const char* what, auto& out,
                               double scale) {
    if (const std::string* v = annotation(spec.pod, {key}, name)) {
      const Parsed<double> n = parse_number(*v);
      if (!n.ok() || n.value < lo || n.value > hi) {
        r.error(at(name), name + " must be " + what + ", got \"" + *v + "\"");
      } else {
        using T = typename std::remove_reference_t<decltype(out)>::value_type;
        out = static_cast<T>(n.value / scale);
      }
    }
  };
  const auto read_duration = [&](const char* key, SimTime hi, std::optional<SimTime>& out) {
    if (const std::string* v = annotation(spec.pod, {key}, name)) {
      const DurationParse d = parse_duration(*v);
      if (!d.ok() || d.value_ns < 0 || d.value_ns > hi) {
        r.error(at(name), name + " must be a duration from 0s to " + std::to_string(hi / kHour) +
                              "h, got \"" + *v + "\"");
      } else {
        out = d.value_ns;
      }
    }
  };
  if (const std::string* v = annotation(
          spec.pod,
          {"autoscaling.knative.dev/initial-scale", "autoscaling.knative.dev/initialScale"},
          name)) {
    const Parsed<double> n = parse_number(*v);
    if (!n.ok() || n.value < 0 ||
        n.value != static_cast<double>(static_cast<std::int64_t>(n.value))) {
      r.error(at(name), name + " must be a whole number >= 0, got \"" + *v + "\"");
    } else {
      spec.initial_scale = static_cast<std::int64_t>(n.value);
    }
  }
  read_duration("autoscaling.knative.dev/scale-down-delay", kHour, spec.scale_down_delay);
  read_duration("autoscaling.knative.dev/scale-to-zero-pod-retention-period", kHour,
                spec.pod_retention);
  read_number("autoscaling.knative.dev/target-burst-capacity", -1, 1e9, "-1 or a number >= 0",
              spec.target_burst_capacity, 1.0);
  read_number("autoscaling.knative.dev/panic-window-percentage", 1, 100, "a number from 1 to 100",
              spec.panic_window_fraction, 100.0);
  read_number("autoscaling.knative.dev/panic-threshold-percentage", 110, 1000,
              "a number from 110 to 1000", spec.panic_threshold, 100.0);
  read_number("autoscaling.knative.dev/activation-scale", 1, 100000, "a whole number >= 1",
              spec.activation_scale, 1.0);
  if (const YAML::Node rs = tmpl["spec"]; rs && rs.IsMap() && rs["timeoutSeconds"]) {
    if (auto t = r.integer(rs["timeoutSeconds"], "spec.template.spec.timeoutSeconds", 1, 3600)) {
      spec.timeout = *t * kSecond;
    }
  }
  if (spec.pod.container_concurrency && spec.target && *spec.pod.container_concurrency > 0 &&
      *spec.target > static_cast<double>(*spec.pod.container_concurrency)) {
    r.warning(at("autoscaling.knative.dev/target"),
              "target is above containerConcurrency; Knative caps the target at the hard limit");
  }
  obj.spec = std::move(spec);
}

// A Knative Service: its latest revision's pods, owned by the serverless model with the
// revision's autoscaling as config-autoscaler's defaults and the annotations resolve it
// (pkg/reconciler/autoscaling/resources/target.go, kpa/resources/decider.go).
void plan_knative_service(const ManifestObject& obj, PlanContext& ctx, models::FleetDeployment& d) {
  const auto& spec = std::get<KnativeServiceSpec>(obj.spec);
  apply_pod(spec.pod, ctx.policy.objects, d);
  d.places = {ctx.home};
  d.replicas = 0;
  serverless::RevisionConfig rc;
  const auto cc = static_cast<std::uint32_t>(spec.pod.container_concurrency.value_or(0));
  rc.container_concurrency = cc;
  d.concurrency = cc > 0 ? cc : models::kUnlimitedConcurrency;
  d.queue_limit = cc > 0 ? 10 * cc : 0;  // queue-proxy's breaker: 10 x containerConcurrency
  rc.rps_metric = spec.metric == "rps";
  // target.go: the total per pod, the annotation's target capped at containerConcurrency,
  // times the target utilisation.
  double total = rc.rps_metric ? 200.0 : (cc > 0 ? static_cast<double>(cc) : 100.0);
  if (spec.target) {
    total = *spec.target;
    if (!rc.rps_metric && cc > 0) total = std::min(total, static_cast<double>(cc));
  }
  rc.kpa.total_value = total;
  rc.kpa.target_value = std::max(0.01, total * spec.target_utilization.value_or(0.7));
  d.cpu_slots = cc > 0 ? 0 : static_cast<std::uint32_t>(std::max(1.0, std::round(total)));
  if (spec.window) rc.kpa.stable_window = *spec.window;
  if (spec.target_burst_capacity) rc.kpa.target_burst_capacity = *spec.target_burst_capacity;
  if (spec.panic_threshold) rc.kpa.panic_threshold = *spec.panic_threshold;
  if (spec.scale_down_delay) rc.kpa.scale_down_delay = *spec.scale_down_delay;
  if (spec.activation_scale)
    rc.kpa.activation_scale = static_cast<std::int32_t>(*spec.activation_scale);
  rc.min_scale = static_cast<std::int32_t>(spec.min_scale);
  rc.max_scale = static_cast<std::int32_t>(spec.max_scale);
  // GetInitialScale: the annotation, unless it asks for 0 (allow-zero-initial-scale is off
  // by default).
  if (spec.initial_scale && *spec.initial_scale > 0) {
    rc.initial_scale = static_cast<std::int32_t>(*spec.initial_scale);
  }
  if (spec.pod_retention) rc.pod_retention = *spec.pod_retention;
  if (spec.timeout) rc.revision_timeout = *spec.timeout;
  rc.keep_alive = keep_alive_of(ctx.policy);
  if (rc.keep_alive.kind == serverless::KeepAliveConfig::Kind::none) {
    // Scale to zero as soon as Knative allows: no retention, no scale-down delay.
    rc.pod_retention = 0;
    rc.kpa.scale_down_delay = 0;
  } else if (rc.keep_alive.kind == serverless::KeepAliveConfig::Kind::fixed) {
    rc.kpa.scale_down_delay = rc.keep_alive.duration;  // each pod lives D past its last need
  }
  rc.memory_gb = pod_memory_gb(spec.pod);
  d.serverless = rc;
}

}  // namespace kt::scenario
