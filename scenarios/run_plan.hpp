#pragma once
// Builds what one policy's run simulates from a scenario: the models' typed configurations.
// What the scenario describes but no built model simulates yet is listed, never dropped
// silently.

#include <string>
#include <vector>

#include "models/cluster/fleet_config.hpp"
#include "models/cluster/request_flow.hpp"
#include "scenarios/diagnostics.hpp"
#include "scenarios/scenario.hpp"

namespace kt::scenario {

struct RunPlan {
  std::string policy;
  // Without node pools the flow model runs (replicas assumed ready on unlimited capacity);
  // with them the fleet model schedules pods onto nodes (models/cluster/fleet_model).
  bool fleet = false;
  models::FlowConfig flow;
  models::FleetConfig fleet_config;
  std::vector<std::string> not_simulated;  // "workload web: Service/x (serverless model not built)"
};

// The models' arrival process for a workload's arrival (a trace is referenced, not copied:
// the scenario must outlive the run).
models::ArrivalConfig arrival_config(const Arrival& arrival);

// Returns false (with errors in `diags`) when the scenario cannot be run under `policy`.
bool build_run_plan(const Scenario& scenario, const Policy& policy, RunPlan& plan,
                    Diagnostics& diags);

}  // namespace kt::scenario
