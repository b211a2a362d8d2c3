// Plan steps of the FaaS functions (Kubeless, OpenFaaS) and KEDA ScaledObjects, the start
// time of a function and what the serverless plan steps share.

#include <algorithm>

#include "scenarios/manifest_loader.hpp"
#include "scenarios/serverless_kinds.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario {

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
    k.hybrid = policy.hybrid;
  } else {
    k.kind = serverless::KeepAliveConfig::Kind::none;
  }
  return k;
}

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

const ScaledObjectTrigger* kafka_trigger(const ScaledObjectSpec& so) {
  for (const ScaledObjectTrigger& t : so.triggers) {
    if (t.type == "kafka") return &t;
  }
  return nullptr;
}

}  // namespace

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

}  // namespace kt::scenario
