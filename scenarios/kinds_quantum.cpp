// Quantum kinds: QuantumCluster (a QPU behind a job queue), and the Istio objects the seed
// uses around them (Argo Workflows, hybrid classical/quantum jobs: kinds_workflow.cpp).

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
    r.check_keys(c,
                 {"t1", "t2", "gateTime1q", "gateTime2q", "readoutTime", "resetTime", "jobOverhead",
                  "window", "error1q", "error2q", "readoutError"},
                 "spec.calibration", Severity::warning);
    const auto time = [&](const char* key, std::optional<SimTime>& out, SimTime max) {
      if (c[key]) {
        if (auto d = r.duration(c[key], std::string("spec.calibration.") + key, 0, max)) out = *d;
      }
    };
    time("gateTime1q", spec.gate_1q, kSecond);
    time("gateTime2q", spec.gate_2q, kSecond);
    time("readoutTime", spec.readout, kSecond);
    time("resetTime", spec.reset, kSecond);
    time("jobOverhead", spec.overhead, kHour);
    for (const char* key : {"error1q", "error2q", "readoutError"}) {
      if (c[key]) {
        spec.error_rates = true;
        r.number(c[key], std::string("spec.calibration.") + key, 0, 1);
      }
    }
    if (const YAML::Node w = c["window"]; w && r.expect_map(w, "spec.calibration.window")) {
      r.check_keys(w, {"every", "duration", "start"}, "spec.calibration.window", Severity::error);
      if (w["start"]) {
        if (auto d = r.duration(w["start"], "spec.calibration.window.start", 0, 365 * kDay))
          spec.window_start = *d;
      }
      if (w["every"]) {
        if (auto d = r.duration(w["every"], "spec.calibration.window.every", kMinute, 365 * kDay))
          spec.window_every = *d;
      }
      if (w["duration"]) {
        if (auto d = r.duration(w["duration"], "spec.calibration.window.duration", 0, kDay))
          spec.window_duration = *d;
      }
      if (spec.window_every && spec.window_duration &&
          *spec.window_duration >= *spec.window_every) {
        r.error(w["duration"], "a calibration window must be shorter than its period");
        spec.window_duration.reset();
      }
    }
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
    // The route simulated requests take: the first without match conditions, else the
    // first (Istio tries routes in order; simulated requests carry no headers or paths).
    YAML::Node taken;
    for (const YAML::Node& route : http) {
      if (route.IsMap() && !route["match"]) {
        taken = route;
        break;
      }
    }
    if (!taken && http.size() > 0) taken = http[0];
    if (taken && taken.IsMap()) {
      if (taken["timeout"]) spec.route_timeout = r.duration(taken["timeout"], "http[].timeout");
      if (const YAML::Node dests = taken["route"]; dests && dests.IsSequence()) {
        for (const YAML::Node& d : dests) {
          if (!d.IsMap() || !d["destination"] || !d["destination"].IsMap()) continue;
          const YAML::Node dest = d["destination"];
          VirtualServiceSpec::RouteTo to;
          to.pos = r.pos(dest);
          if (dest["host"] && dest["host"].IsScalar()) to.host = dest["host"].Scalar();
          if (dest["subset"] && dest["subset"].IsScalar()) to.subset = dest["subset"].Scalar();
          if (d["weight"]) {
            if (auto w = r.integer(d["weight"], "route[].weight", 0, 100)) to.weight = *w;
          }
          if (!to.host.empty()) spec.route.push_back(std::move(to));
        }
      }
    }
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
            spec.retries_set = true;
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
                true,
                "quantum.k8s.io is not a published API; QuantumCluster is read as the seed's "
                "proposal"});
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
