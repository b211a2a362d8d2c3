#pragma once
// The fleet model's configuration from a scenario with node pools (scenarios/fleet_plan.cpp).

#include "scenarios/run_plan.hpp"

namespace kt::scenario {

bool has_node_pools(const Scenario& scenario);
bool build_fleet_plan(const Scenario& scenario, const Policy& policy, RunPlan& plan,
                      Diagnostics& diags);

}  // namespace kt::scenario
