// Serverless kinds: Knative Service and PingSource, KEDA ScaledObject, Kubeless and OpenFaaS
// functions. Knative's autoscaling annotations are read with the bounds Knative enforces.

#include "scenarios/kind_registry.hpp"
#include "scenarios/manifest_loader.hpp"
#include "scenarios/units.hpp"

#include <algorithm>
#include <cmath>

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

void parse_ping_source(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  PingSourceSpec spec;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "PingSource has no 'spec'");
    return;
  }
  if (s["schedule"]) {
    if (auto text = r.string(s["schedule"], "spec.schedule")) {
      const Parsed<k8s::CronSchedule> cron = parse_cron(*text);
      if (cron.ok()) {
        spec.schedule = cron.value;
        spec.schedule_text = *text;
      } else {
        r.error(s["schedule"], "spec.schedule: " + cron.error);
      }
    }
  } else {
    r.error(s, "PingSource spec has no 'schedule'");
  }
  if (s["contentType"]) {
    if (auto t = r.string(s["contentType"], "spec.contentType")) spec.content_type = *t;
  }
  if (s["data"]) {
    if (auto d = r.string(s["data"], "spec.data")) spec.data = *d;
  }
  if (const YAML::Node sink = s["sink"]; sink && r.expect_map(sink, "spec.sink")) {
    if (sink["ref"]) {
      spec.sink = read_object_ref(sink["ref"], r, "spec.sink.ref", "Service");
    } else if (!sink["uri"]) {
      r.error(sink, "spec.sink needs 'ref' or 'uri'");
    }
  } else if (!s["sink"]) {
    r.error(s, "PingSource spec has no 'sink'");
  }
  obj.spec = std::move(spec);
}

// min/maxReplicaCount and pollingInterval, which ScaledObject and ScaledJob share.
void read_counts_and_polling(const YAML::Node& s, ScaledObjectSpec& spec, YamlReader& r) {
  if (s["minReplicaCount"]) {
    if (auto n = r.integer(s["minReplicaCount"], "spec.minReplicaCount", 0, 100000)) {
      spec.min_replicas = *n;
    }
  }
  if (s["maxReplicaCount"]) {
    if (auto n = r.integer(s["maxReplicaCount"], "spec.maxReplicaCount", 1, 100000)) {
      spec.max_replicas = *n;
    }
  }
  if (spec.min_replicas > spec.max_replicas) {
    r.error(s["maxReplicaCount"], "spec.maxReplicaCount is below spec.minReplicaCount");
  }
  if (s["pollingInterval"]) {
    if (auto n = r.integer(s["pollingInterval"], "spec.pollingInterval", 1, 86400)) {
      spec.polling_interval = *n * kSecond;
    }
  }
}

void read_triggers(const YAML::Node& s, ScaledObjectSpec& spec, YamlReader& r) {
  if (const YAML::Node triggers = s["triggers"];
      triggers && r.expect_sequence(triggers, "spec.triggers")) {
    for (const YAML::Node& t : triggers) {
      if (!r.expect_map(t, "spec.triggers[]")) continue;
      ScaledObjectTrigger trigger;
      if (auto type = t["type"] ? r.string(t["type"], "spec.triggers[].type") : std::nullopt) {
        trigger.type = *type;
      } else {
        if (!t["type"]) r.error(t, "spec.triggers[] has no 'type'");
        continue;
      }
      if (t["metadata"]) {
        if (auto m = r.string_map(t["metadata"], "spec.triggers[].metadata")) trigger.metadata = *m;
      }
      for (const char* key : {"lagThreshold", "value", "targetValue", "threshold", "queueLength",
                              "desiredReplicas"}) {
        const auto it = trigger.metadata.find(key);
        if (it == trigger.metadata.end()) continue;
        const Parsed<double> n = parse_number(it->second);
        if (n.ok() && n.value > 0) {
          trigger.threshold = n.value;
        } else {
          r.error(t["metadata"][key], std::string("trigger metadata ") + key +
                                          " must be a positive number, got \"" + it->second + "\"");
        }
      }
      if (trigger.type == "kafka") {
        const auto servers = trigger.metadata.find("bootstrapServers");
        if (servers != trigger.metadata.end() && servers->second.find(':') == std::string::npos) {
          r.warning(t["metadata"]["bootstrapServers"],
                    "bootstrapServers \"" + servers->second + "\" has no port",
                    "Kafka brokers are addressed as host:port, e.g. kafka.example.com:9092");
        }
      }
      spec.triggers.push_back(std::move(trigger));
    }
  } else if (!s["triggers"]) {
    r.error(s, "spec has no 'triggers'");
  }
}

void parse_scaled_object(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  ScaledObjectSpec spec;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "ScaledObject has no 'spec'");
    return;
  }
  if (s["scaleTargetRef"]) {
    spec.target = read_object_ref(s["scaleTargetRef"], r, "spec.scaleTargetRef", "Deployment");
  } else {
    r.error(s, "ScaledObject spec has no 'scaleTargetRef'");
  }
  read_counts_and_polling(s, spec, r);
  if (s["cooldownPeriod"]) {
    if (auto n = r.integer(s["cooldownPeriod"], "spec.cooldownPeriod", 0, 86400)) {
      spec.cooldown_period = *n * kSecond;
    }
  }
  read_triggers(s, spec, r);
  obj.spec = std::move(spec);
}

// KEDA ScaledJob (keda.sh/v1alpha1, KEDA v2 CRD): a Job started per batch of events.
void parse_scaled_job(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  ScaledObjectSpec spec;
  spec.scaled_job = true;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "ScaledJob has no 'spec'");
    return;
  }
  r.check_keys(s,
               {"jobTargetRef", "pollingInterval", "successfulJobsHistoryLimit",
                "failedJobsHistoryLimit", "envSourceContainerName", "minReplicaCount",
                "maxReplicaCount", "rollout", "scalingStrategy", "triggers"},
               "ScaledJob spec", Severity::warning);
  if (const YAML::Node job = s["jobTargetRef"]; job && r.expect_map(job, "spec.jobTargetRef")) {
    if (job["parallelism"]) {
      if (auto n = r.integer(job["parallelism"], "spec.jobTargetRef.parallelism", 1, 100000)) {
        spec.job_parallelism = *n;
      }
    }
    if (job["completions"]) {
      if (auto n = r.integer(job["completions"], "spec.jobTargetRef.completions", 1, 100000)) {
        spec.job_completions = *n;
      }
    }
    if (!job["template"] || job["template"].IsNull()) {
      r.warning(job, "ScaledJob's jobTargetRef has no pod template",
                "the Jobs it starts need spec.jobTargetRef.template");
    }
  } else if (!s["jobTargetRef"]) {
    r.error(s, "ScaledJob spec has no 'jobTargetRef'");
  }
  read_counts_and_polling(s, spec, r);
  read_triggers(s, spec, r);
  obj.spec = std::move(spec);
}

void parse_kubeless_function(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  FunctionSpec spec;
  spec.framework = "kubeless";
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "Function has no 'spec'");
    return;
  }
  if (s["runtime"]) {
    if (auto v = r.string(s["runtime"], "spec.runtime")) spec.runtime = *v;
  } else {
    r.error(s, "Function spec has no 'runtime'");
  }
  if (s["handler"]) {
    if (auto v = r.string(s["handler"], "spec.handler")) spec.handler = *v;
  } else {
    r.error(s, "Function spec has no 'handler'");
  }
  if (!s["function"] && !s["function-content-type"]) {
    r.warning(s, "Function spec has no 'function' source");
  }
  obj.spec = std::move(spec);
}

// What a pod holds in memory, in GB (10^9 bytes): its memory limits, else its requests
// (a FaaS bill counts the memory configured for the function).
double pod_memory_gb(const PodTemplate& pod) {
  std::int64_t milli = 0;
  for (const Container& c : pod.containers) {
    const auto limit = c.limits.find(k8s::kMemory);
    const auto request = c.requests.find(k8s::kMemory);
    if (limit != c.limits.end()) {
      milli += limit->second;
    } else if (request != c.requests.end()) {
      milli += request->second;
    }
  }
  return static_cast<double>(milli) / 1000.0 / 1e9;
}

// The keepAlive knob of the policy, as the serverless model takes it.
serverless::KeepAliveConfig keep_alive_of(const Policy& policy) {
  serverless::KeepAliveConfig k;
  const bool set = std::find(policy.knobs_set.begin(), policy.knobs_set.end(), "keepAlive") !=
                   policy.knobs_set.end();
  if (!set) return k;  // what the platform and the manifests declare
  if (policy.keep_alive == "fixed") {
    k.kind = serverless::KeepAliveConfig::Kind::fixed;
    k.duration = policy.keep_alive_duration;
  } else if (policy.keep_alive == "hybrid-histogram") {
    k.kind = serverless::KeepAliveConfig::Kind::hybrid_histogram;
  } else {
    k.kind = serverless::KeepAliveConfig::Kind::none;
  }
  return k;
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

}  // namespace

// A Kubeless or OpenFaaS function on the on-demand platform (models/serverless): an instance
// more when a request finds every instance's slots busy, idle instances kept by the keepAlive
// knob; without it, as both platforms do by default, the replicas stay (OpenFaaS:
// com.openfaas.scale.min, default 1; Kubeless: one replica) and none is removed.
void plan_function(const ManifestObject& obj, PlanContext& ctx, models::FleetDeployment& d) {
  const auto& spec = std::get<FunctionSpec>(obj.spec);
  d.places = {ctx.home};
  d.replicas = 0;
  d.image = !spec.image.empty() ? spec.image : "kubeless-runtime/" + spec.runtime;
  d.cpu_milli = spec.cpu_milli;
  d.memory_bytes = spec.memory_bytes;
  serverless::RevisionConfig rc;
  rc.platform = serverless::RevisionConfig::Platform::on_demand;
  const auto cc = static_cast<std::uint32_t>(spec.max_inflight);
  rc.container_concurrency = cc;
  d.concurrency = cc > 0 ? cc : models::kUnlimitedConcurrency;
  d.cpu_slots = cc > 0 ? 0 : 1;
  rc.keep_alive = keep_alive_of(ctx.policy);
  const bool knob = rc.keep_alive.kind != serverless::KeepAliveConfig::Kind::platform;
  const auto label = [&](const char* key, std::int32_t fallback) {
    const auto it = spec.labels.find(key);
    if (it == spec.labels.end()) return fallback;
    const Parsed<double> n = parse_number(it->second);
    return n.ok() && n.value >= 0 ? static_cast<std::int32_t>(n.value) : fallback;
  };
  rc.min_scale = label("com.openfaas.scale.min", knob ? 0 : 1);
  rc.max_scale = label("com.openfaas.scale.max", spec.framework == "openfaas" ? 20 : 0);
  rc.initial_scale = rc.min_scale;
  // An instance's memory for the GB-s figures: what it declares, else 128 MB (the smallest
  // FaaS memory size AWS Lambda bills).
  rc.memory_gb = spec.memory_bytes > 0 ? static_cast<double>(spec.memory_bytes) / 1e9 : 0.128;
  // The watchdog fails a request that runs past its write (response) timeout.
  if (spec.write_timeout) d.request_timeout = *spec.write_timeout;
  d.serverless = rc;
}

namespace {

// A function (Knative Service, Kubeless or OpenFaaS Function) by name.
const ManifestObject* function_named(const std::vector<ManifestObject>& objects,
                                     const std::string& name) {
  for (const ManifestObject& o : objects) {
    if (o.name == name && o.model == "serverless" &&
        (std::holds_alternative<KnativeServiceSpec>(o.spec) ||
         std::holds_alternative<FunctionSpec>(o.spec))) {
      return &o;
    }
  }
  return nullptr;
}

std::string unique_name(const Scenario& sc, const std::vector<Workload>& added, std::string name) {
  const auto taken = [&](const std::string& n) {
    for (const Workload& w : sc.workloads)
      if (w.name == n) return true;
    for (const Workload& w : added)
      if (w.name == n) return true;
    return false;
  };
  const std::string base = name;
  for (int i = 2; taken(name); ++i)
    name = base + "#" + std::to_string(i);
  return name;
}

// An event's or a warm-up call's own work at the function: 10 ms (what a handler that logs or
// returns at once takes; docs/models/serverless.md, "Event sources").
constexpr double kEventServiceS = 0.010;

}  // namespace

std::vector<Workload> event_source_workloads(const Scenario& sc, const Policy& policy,
                                             std::vector<std::string>& not_simulated) {
  std::vector<Workload> out;
  const auto add = [&](const ManifestObject& source, const ManifestObject& sink, Arrival arrival) {
    Workload w;
    w.name = unique_name(sc, out, source.name + "~" + sink.name);
    w.target = {sink.api_version, sink.kind, sink.name, source.pos};
    w.arrival = std::move(arrival);
    w.service.dist = Distribution::deterministic(kEventServiceS);
    w.service.text = "deterministic(10ms)";
    w.pos = source.pos;
    out.push_back(std::move(w));
  };
  for (const ManifestObject& o : policy.objects) {
    if (const auto* ping = std::get_if<PingSourceSpec>(&o.spec)) {
      const ManifestObject* sink = find_object(policy.objects, ping->sink.kind, ping->sink.name);
      if (!sink) {
        not_simulated.push_back(o.id() + " -> not simulated: its sink " + ping->sink.kind + "/" +
                                ping->sink.name + " is not among the manifests");
        continue;
      }
      Arrival a;
      a.process = Arrival::Process::cron;
      a.cron = ping->schedule;
      add(o, *sink, a);
    } else if (const auto* dep = std::get_if<DeploymentSpec>(&o.spec)) {
      const std::string* targets = nullptr;
      const std::string* interval = nullptr;
      for (const Container& c : dep->pod.containers) {
        if (!targets) targets = c.env_value("TARGET_FUNCTIONS");
        if (!interval) interval = c.env_value("WARMUP_INTERVAL");
      }
      if (!targets) continue;
      // WARMUP_INTERVAL in seconds (the seed's warmer); 60 when absent.
      double seconds = 60;
      if (interval) {
        const Parsed<double> n = parse_number(*interval);
        if (n.ok() && n.value > 0) seconds = n.value;
      }
      if (dep->replicas <= 0) continue;  // switched off (a policy's override)
      std::string list = *targets;
      for (std::size_t start = 0; start <= list.size();) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        std::string name = list.substr(start, comma - start);
        start = comma + 1;
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        if (name.empty()) continue;
        const ManifestObject* fn = function_named(policy.objects, name);
        if (!fn) {
          not_simulated.push_back(o.id() + ": warm-up calls to '" + name +
                                  "' -> not simulated: no function of that name among the "
                                  "manifests");
          continue;
        }
        // Each replica calls every function once per interval: together, one call every
        // interval / replicas.
        Arrival a;
        a.process = Arrival::Process::constant;
        a.interval = static_cast<SimTime>(seconds * 1e9 / static_cast<double>(dep->replicas));
        add(o, *fn, a);
      }
    }
  }
  return out;
}

namespace {

const ScaledObjectTrigger* kafka_trigger(const ScaledObjectSpec& so) {
  for (const ScaledObjectTrigger& t : so.triggers) {
    if (t.type == "kafka") return &t;
  }
  return nullptr;
}

std::string scaled_object_unsupported(const ManifestObject& obj) {
  const auto& so = std::get<ScaledObjectSpec>(obj.spec);
  if (so.scaled_job) return "a ScaledJob's Jobs per event are not simulated yet";
  if (!kafka_trigger(so)) {
    std::string types;
    for (const ScaledObjectTrigger& t : so.triggers)
      types += (types.empty() ? "" : ", ") + t.type;
    return "its triggers (" + types + ") have no simulated source; the kafka trigger has";
  }
  return {};
}

std::string scaled_object_check(const ManifestObject& obj,
                                const std::vector<ManifestObject>& objects) {
  if (std::string why = scaled_object_unsupported(obj); !why.empty()) return obj.id() + ": " + why;
  const auto& so = std::get<ScaledObjectSpec>(obj.spec);
  const std::string kind = so.target.kind.empty() ? "Deployment" : so.target.kind;
  const ManifestObject* target = find_object(objects, kind, so.target.name);
  if (!target || !std::holds_alternative<DeploymentSpec>(target->spec)) {
    return obj.id() + "'s scaleTargetRef " + kind + "/" + so.target.name +
           " is no Deployment among the manifests";
  }
  return {};
}

// A KEDA ScaledObject with the kafka trigger: the Deployment it scales consumes the topic the
// workload produces to (one message at a time per consumer), scaled as KEDA does.
void plan_scaled_object(const ManifestObject& obj, PlanContext& ctx, models::FleetDeployment& d) {
  const auto& so = std::get<ScaledObjectSpec>(obj.spec);
  const std::string kind = so.target.kind.empty() ? "Deployment" : so.target.kind;
  const ManifestObject* target = find_object(ctx.policy.objects, kind, so.target.name);
  const auto& dep = std::get<DeploymentSpec>(target->spec);
  apply_pod(dep.pod, ctx.policy.objects, d);
  d.places = {ctx.home};
  d.concurrency = 1;
  serverless::KafkaScaling k;
  const ScaledObjectTrigger& t = *kafka_trigger(so);
  if (t.threshold) k.lag_threshold = *t.threshold;
  if (const auto it = t.metadata.find("activationLagThreshold"); it != t.metadata.end()) {
    const Parsed<double> n = parse_number(it->second);
    if (n.ok() && n.value >= 0) k.activation_lag_threshold = n.value;
  }
  if (const auto it = t.metadata.find("allowIdleConsumers"); it != t.metadata.end()) {
    k.allow_idle_consumers = it->second == "true";
  }
  k.min_replicas = static_cast<std::int32_t>(so.min_replicas);
  k.max_replicas = static_cast<std::int32_t>(so.max_replicas);
  k.polling_interval = so.polling_interval;
  k.cooldown_period = so.cooldown_period;
  k.hpa.min_replicas = std::max(1, k.min_replicas);
  k.hpa.max_replicas = k.max_replicas;
  d.replicas = static_cast<std::uint32_t>(k.min_replicas);
  d.kafka = k;
}

}  // namespace

std::optional<Distribution> cold_start_of(const Infrastructure& infra, const ManifestObject& obj) {
  std::string runtime;
  if (const auto* f = std::get_if<FunctionSpec>(&obj.spec)) runtime = f->runtime;
  for (const std::string& key : {obj.id(), runtime, std::string("default")}) {
    if (key.empty()) continue;
    if (const auto it = infra.cold_start.find(key); it != infra.cold_start.end()) {
      return it->second.dist;
    }
  }
  // Published defaults (../shared/PUBLISHED.md section 2, docs/models/serverless.md): a JVM
  // runtime about 12 s (a Spring Boot container's start behind Knative, earezki.com "Ship
  // it and sleep" ch. 15); any other about 2 s (a Knative revision at small scale, Matt
  // Moore in nobl9's "creeping latency" interview). No per-runtime figure for Python, Node
  // or Go is on record there, so they share the Knative one. The spread (cv 0.5) is the
  // SPEC example's, not a measurement.
  if (runtime.rfind("java", 0) == 0) return Distribution::lognormal(12.0, 0.5);
  return Distribution::lognormal(2.0, 0.5);
}

void register_serverless_kinds(KindRegistry& registry) {
  KindHandler knative{"serving.knative.dev", {"v1"}, "Service", "serverless", "",
                      parse_knative_service, true,   ""};
  knative.plan = plan_knative_service;
  registry.add(knative);
  registry.add({"sources.knative.dev",
                {"v1", "v1beta2"},
                "PingSource",
                "serverless",
                "",
                parse_ping_source,
                true,
                ""});
  KindHandler scaled_object{"keda.sh", {"v1alpha1"},        "ScaledObject", "serverless",
                            "",        parse_scaled_object, true,           ""};
  scaled_object.plan = plan_scaled_object;
  scaled_object.plan_check = scaled_object_check;
  scaled_object.unsupported = scaled_object_unsupported;
  registry.add(scaled_object);
  registry.add(
      {"keda.sh", {"v1alpha1"}, "ScaledJob", "serverless", "", parse_scaled_job, false, ""});
  for (const char* kind : {"TriggerAuthentication", "ClusterTriggerAuthentication"}) {
    registry.add({"keda.sh",
                  {"v1alpha1"},
                  kind,
                  "",
                  "credentials for KEDA's scalers; they change no simulated behaviour",
                  nullptr,
                  false,
                  ""});
  }
  KindHandler kubeless{"kubeless.io",           {"v1beta1"}, "Function", "serverless", "",
                       parse_kubeless_function, true,        ""};
  kubeless.plan = plan_function;
  registry.add(kubeless);
  // OpenFaaS functions arrive from stack files (provider + functions), expanded by the loader.
  KindHandler openfaas{"openfaas.com", {"v1"}, "Function", "serverless", "", nullptr, true, ""};
  openfaas.plan = plan_function;
  registry.add(openfaas);
}

}  // namespace kt::scenario
