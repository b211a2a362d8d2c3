#pragma once
// Inside the scenario layer: a manifest kind's plan step, registered beside its parser
// (KindHandler::plan), turns a workload's target of that kind into the fleet's Deployment, so
// a new kind touches one file (its kinds_*.cpp). fleet_plan.cpp calls the steps and adds what
// every kind shares (an HPA that targets it, the workloads, the places).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/cluster/fleet_config.hpp"
#include "scenarios/diagnostics.hpp"
#include "scenarios/manifest.hpp"
#include "scenarios/scenario.hpp"

namespace kt::scenario {

struct PlanContext {
  const Policy& policy;
  models::FleetConfig& fleet;
  const std::map<std::string, std::uint32_t>& place_index;  // region or edge site -> place
  std::uint32_t home;  // where plain Deployments run: the first region
  Diagnostics& diags;
  bool ok = true;  // a step sets it false after reporting an error
  // Deployments the step needs beside its own (a workflow's classical steps' pods): added
  // right after it, in this order.
  std::vector<models::FleetDeployment> companions = {};
};

using PlanStep = void (*)(const ManifestObject& object, PlanContext& ctx,
                          models::FleetDeployment& out);
// Why a workload's target of this kind cannot be simulated after all (a ScaledObject whose
// trigger has no simulated source), or "" when it can.
using PlanCheck = std::string (*)(const ManifestObject& object,
                                  const std::vector<ManifestObject>& objects);

// Pod requirements from a template, with its RuntimeClass's scheduling constraints merged in
// as upstream's RuntimeClass admission controller does.
void apply_pod(const PodTemplate& pod, const std::vector<ManifestObject>& objects,
               models::FleetDeployment& d);

std::optional<multicloud::PlacementStrategy> placement_strategy(const std::string& name);

// The pod template of a Deployment-like object, if it has one.
const PodTemplate* pod_template_of(const ManifestObject& obj);

// An Argo Workflow's run as the quantum model's DAG of steps (scenarios/quantum_plan.cpp).
void plan_workflow(const ManifestObject& object, PlanContext& ctx, models::FleetDeployment& out);

// A serverless function's start time (SPEC spec.infrastructure.coldStart): the entry for the
// object ("Service/hello"), else for its runtime ("python3.9"), else "default"; none: the
// published default for its runtime (kinds_serverless.cpp).
std::optional<Distribution> cold_start_of(const Infrastructure& infra, const ManifestObject& obj);

// The requests event sources send (kinds_serverless.cpp): a PingSource's events to its sink
// on its schedule, a warmer Deployment's calls (env TARGET_FUNCTIONS, every WARMUP_INTERVAL
// seconds from each replica) to the functions it names. Each becomes a workload named
// "SOURCE~SINK"; what cannot be sent is said in `not_simulated`.
std::vector<Workload> event_source_workloads(const Scenario& sc, const Policy& policy,
                                             std::vector<std::string>& not_simulated);

// Why `hpa` cannot be simulated against `target` (a metric with no simulated source), or
// "" when it can.
std::string hpa_not_simulated(const HorizontalPodAutoscalerSpec& hpa, const ManifestObject& target);

}  // namespace kt::scenario
