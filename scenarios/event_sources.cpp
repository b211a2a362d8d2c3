// The requests event sources send: a PingSource's events to its sink, a warmer Deployment's
// calls to the functions it names (scenarios/plan_step.hpp, event_source_workloads).

#include <algorithm>

#include "scenarios/manifest_loader.hpp"
#include "scenarios/plan_step.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario {

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

}  // namespace kt::scenario
