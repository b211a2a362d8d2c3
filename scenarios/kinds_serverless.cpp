// Serverless kinds: their registration, and the parsers of PingSource, KEDA ScaledObject and
// ScaledJob and the Kubeless Function (the Knative Service's in kinds_knative.cpp, the plan
// steps in serverless_plan.cpp, the event sources' requests in event_sources.cpp).

#include "scenarios/serverless_kinds.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario {

namespace {

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

}  // namespace

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
