#include "scenarios/run_plan.hpp"

#include <map>

#include "scenarios/fleet_plan.hpp"
#include "scenarios/kind_registry.hpp"
#include "scenarios/manifest_loader.hpp"

namespace kt::scenario {

namespace {

// The Deployments a core Service sends traffic to: those whose pod labels its selector matches.
std::vector<const ManifestObject*> backends(const ManifestObject& service,
                                            const std::vector<ManifestObject>& objects) {
  std::vector<const ManifestObject*> out;
  const auto& spec = std::get<ServiceSpec>(service.spec);
  if (spec.selector.empty()) return out;  // a selector-less Service has no managed endpoints
  k8s::LabelSelector selector;
  selector.match_labels = spec.selector;
  for (const ManifestObject& obj : objects) {
    const auto* dep = std::get_if<DeploymentSpec>(&obj.spec);
    if (dep && obj.name_space == service.name_space && selector.matches(dep->pod.labels)) {
      out.push_back(&obj);
    }
  }
  return out;
}

}  // namespace

models::ArrivalConfig arrival_config(const Arrival& a) {
  models::ArrivalConfig c;
  switch (a.process) {
    case Arrival::Process::poisson:
      c.process = models::ArrivalConfig::Process::poisson;
      break;
    case Arrival::Process::constant:
      c.process = models::ArrivalConfig::Process::constant;
      break;
    case Arrival::Process::diurnal:
      c.process = models::ArrivalConfig::Process::diurnal;
      break;
    case Arrival::Process::trace:
      c.process = models::ArrivalConfig::Process::trace;
      break;
  }
  c.rate_per_s = a.rate_per_s;
  c.interval = a.interval;
  c.amplitude = a.amplitude;
  c.period = a.period;
  c.trace = &a.trace;
  return c;
}

bool build_run_plan(const Scenario& sc, const Policy& policy, RunPlan& plan, Diagnostics& diags) {
  plan.policy = policy.name;
  if (has_node_pools(sc)) return build_fleet_plan(sc, policy, plan, diags);
  plan.flow.duration = sc.duration;
  plan.flow.warmup = sc.warmup;
  bool ok = true;
  std::map<std::string, std::uint32_t> service_index;  // object id -> FlowConfig service
  for (const Workload& wl : sc.workloads) {
    const ManifestObject* target = find_object(policy.objects, wl.target.kind, wl.target.name);
    if (!target) {
      diags.error(wl.target.pos, "workload " + wl.name + ": target " + wl.target.kind + "/" +
                                     wl.target.name + " not found");
      ok = false;
      continue;
    }
    const KindHandler* handler = KindRegistry::builtin().find(target->group(), target->kind);
    if (!handler || !handler->runnable) {
      plan.not_simulated.push_back("workload " + wl.name + " -> " + target->id() + ": " +
                                   (target->model.empty()
                                        ? std::string("not simulated")
                                        : target->model + " model not built yet"));
      continue;
    }
    std::int64_t replicas = 0;
    std::int64_t concurrency = 0;
    if (const auto* dep = std::get_if<DeploymentSpec>(&target->spec)) {
      replicas = dep->replicas;
      concurrency = dep->pod.container_concurrency.value_or(1);
    } else if (std::holds_alternative<ServiceSpec>(target->spec)) {
      const auto pods = backends(*target, policy.objects);
      if (pods.empty()) {
        diags.error(wl.target.pos,
                    "workload " + wl.name + ": " + target->id() +
                        " selects no Deployment among the manifests",
                    "its spec.selector must match a Deployment's pod template labels");
        ok = false;
        continue;
      }
      for (const ManifestObject* p : pods) {
        const auto& dep = std::get<DeploymentSpec>(p->spec);
        const std::int64_t c = dep.pod.container_concurrency.value_or(1);
        if (concurrency != 0 && c != concurrency) {
          diags.error(wl.target.pos, "workload " + wl.name + ": the Deployments behind " +
                                         target->id() + " differ in container concurrency");
          ok = false;
        }
        concurrency = c;
        replicas += dep.replicas;
      }
    } else {
      plan.not_simulated.push_back("workload " + wl.name + " -> " + target->id() +
                                   ": this kind takes no requests");
      continue;
    }
    if (concurrency < 1) concurrency = 1;
    const auto [it, inserted] =
        service_index.emplace(target->id(), static_cast<std::uint32_t>(plan.flow.services.size()));
    if (inserted) {
      plan.flow.services.push_back({target->id(), static_cast<std::uint32_t>(replicas),
                                    static_cast<std::uint32_t>(concurrency)});
    }
    models::WorkloadConfig w;
    w.name = wl.name;
    w.service = it->second;
    w.arrival = arrival_config(wl.arrival);
    w.service_time = wl.service.dist;
    plan.flow.workloads.push_back(std::move(w));
  }
  if (plan.flow.workloads.size() > 60000) {
    diags.error(sc.pos, "at most 60000 workloads are supported");
    ok = false;
  }
  return ok;
}

}  // namespace kt::scenario
