#pragma once
// Builds what one policy's run simulates from a scenario: the models' typed configurations.
// What the scenario describes but no built model simulates yet is listed, never dropped
// silently.

#include <string>
#include <vector>

#include "models/cluster/fleet_config.hpp"
#include "scenarios/diagnostics.hpp"
#include "scenarios/scenario.hpp"

namespace kt::scenario {

struct RunPlan {
  std::string policy;
  // The fleet (models/cluster/fleet_model): pods scheduled onto the node pools, or on
  // unlimited capacity when the scenario declares none.
  models::FleetConfig fleet_config;
  std::vector<std::string> not_simulated;
  std::vector<std::string>
      unsimulated_workloads;  // workloads whose target is not simulated  // "workload web:
                              // Service/x (serverless model not built)"
};

// The models' arrival process for a workload's arrival (a trace is referenced, not copied:
// the scenario must outlive the run).
models::ArrivalConfig arrival_config(const Arrival& arrival);

// Returns false (with errors in `diags`) when the scenario cannot be run under `policy`.
bool build_run_plan(const Scenario& scenario, const Policy& policy, RunPlan& plan,
                    Diagnostics& diags);

}  // namespace kt::scenario
